import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ModelLoadError, ModelStoreError } from '../../../lambda/errors';
import { type ModelStore, openStore, readPointer } from '../../../lambda/model-store';
import {
  diffManifests,
  listVersions,
  promoteVersion,
  publishVersion,
  resolveVersion,
  rollbackAlias,
} from '../../../ops/model-admin';
import { useArtifactVersions } from '../../helpers/model-artifacts';
import { useS3Server } from '../../helpers/s3-server';
import { useScratch } from '../../helpers/scratch';

const s3 = useS3Server();
const scratch = useScratch();
const artifactVersion = useArtifactVersions();

async function failure(promise: Promise<unknown>): Promise<ModelStoreError | ModelLoadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as ModelStoreError;
}

const backends: Array<[string, () => ModelStore]> = [
  ['a local directory', () => openStore(scratch.dir('model-store'))],
  ['S3 (loopback s3rver, real AWS SDK)', () => openStore(s3.storeUrl('store'), s3.endpoint)],
];

describe.each(backends)('the model store in %s', (_name, newStore) => {
  it('publishes versions, promotes one, rolls back, and lists them with their aliases', async () => {
    const store = newStore();
    const first = artifactVersion('2026-10-01T000000Z', { precision: 0.9 });
    const second = artifactVersion('2026-11-01T000000Z', { precision: 0.95 });

    const published = await publishVersion(store, first, { alias: 'live' });
    await publishVersion(store, second);
    const promoted = await promoteVersion(store, 'live', '2026-11-01T000000Z');
    const afterPromotion = (await readPointer(store, 'live'))?.version;
    const rolledBack = await rollbackAlias(store, 'live');
    const listed = await listVersions(store);

    expect(published).toMatchObject({
      version: '2026-10-01T000000Z',
      alias: 'live',
      files: 4,
      goldenChecked: true,
    });
    expect(promoted).toEqual({
      alias: 'live',
      version: '2026-11-01T000000Z',
      previous: '2026-10-01T000000Z',
      changed: true,
    });
    expect(afterPromotion).toBe('2026-11-01T000000Z');
    expect(rolledBack).toMatchObject({ version: '2026-10-01T000000Z', previous: '2026-11-01T000000Z' });
    expect(listed.map((v) => [v.version, v.aliases, v.manifest?.metrics.precision])).toEqual([
      ['2026-10-01T000000Z', ['live'], 0.9],
      ['2026-11-01T000000Z', [], 0.95],
    ]);
  });

  it('never overwrites a published version', async () => {
    const store = newStore();
    const artifact = artifactVersion('2026-10-02T000000Z');
    await publishVersion(store, artifact);

    const error = await failure(publishVersion(store, artifact));

    expect(error).toBeInstanceOf(ModelStoreError);
    expect(error.code).toBe('version_exists');
  });

  it('refuses to publish an artifact whose files do not match its manifest, naming the file', async () => {
    const store = newStore();
    const artifact = artifactVersion('2026-10-03T000000Z');
    const weights = readFileSync(join(artifact, 'weights.bin'));
    weights[7] = (weights[7] ?? 0) ^ 1;
    writeFileSync(join(artifact, 'weights.bin'), weights);

    const error = await failure(publishVersion(store, artifact));

    expect(error.code).toBe('checksum_mismatch');
    expect(error.field).toBe('weights.bin');
    expect(await listVersions(store)).toEqual([]);
  });

  it('refuses to promote a version that does not exist, and leaves the alias where it was', async () => {
    const store = newStore();
    await publishVersion(store, artifactVersion('2026-10-04T000000Z'), { alias: 'live' });

    const error = await failure(promoteVersion(store, 'live', '2026-12-31T000000Z'));

    expect(error.code).toBe('version_not_found');
    expect((await readPointer(store, 'live'))?.version).toBe('2026-10-04T000000Z');
  });

  it('says when there is nothing to roll back to', async () => {
    const store = newStore();
    await publishVersion(store, artifactVersion('2026-10-05T000000Z'), { alias: 'live' });

    expect((await failure(rollbackAlias(store, 'live'))).code).toBe('nothing_to_roll_back');
    expect((await failure(rollbackAlias(store, 'candidate'))).code).toBe('alias_not_found');
  });

  it('moves a named alias such as candidate independently of live', async () => {
    const store = newStore();
    await publishVersion(store, artifactVersion('2026-10-06T000000Z'), { alias: 'live' });
    await publishVersion(store, artifactVersion('2026-10-07T000000Z'), { alias: 'candidate' });

    const live = await resolveVersion(store, 'live');
    const candidate = await resolveVersion(store, 'candidate');

    expect([live.version, candidate.version]).toEqual(['2026-10-06T000000Z', '2026-10-07T000000Z']);
  });

  it('lists a version whose publish did not finish with the problem, and refuses to promote it', async () => {
    const store = newStore();
    await store.writeSmall('versions/2026-10-10T000000Z/model.json', '{}');

    const [listed] = await listVersions(store);
    const error = await failure(promoteVersion(store, 'live', '2026-10-10T000000Z'));

    expect(listed).toMatchObject({
      version: '2026-10-10T000000Z',
      problem: expect.stringContaining('manifest'),
    });
    expect(listed?.manifest).toBeUndefined();
    expect(error.code).toBe('version_not_found');
  });

  it('diffs two versions: changed fields and every metric, with the change', async () => {
    const store = newStore();
    await publishVersion(store, artifactVersion('2026-10-08T000000Z', { precision: 0.9 }));
    await publishVersion(store, artifactVersion('2026-10-09T000000Z', { precision: 0.93, outputBias: -3 }));

    const a = await resolveVersion(store, '2026-10-08T000000Z');
    const b = await resolveVersion(store, '2026-10-09T000000Z');
    const rows = diffManifests(a.manifest, b.manifest);
    const row = (field: string) => rows.find((r) => r.field === field);

    expect(row('metrics.precision')).toMatchObject({
      a: 0.9,
      b: 0.93,
      delta: 0.03,
      changed: true,
      metric: true,
    });
    expect(row('metrics.recall')).toMatchObject({ changed: false, metric: true, delta: 0 });
    expect(row('version')).toMatchObject({ a: '2026-10-08T000000Z', b: '2026-10-09T000000Z', changed: true });
    expect(row('files.weights.bin')?.changed).toBe(true);
    expect(row('files.model.json')?.changed).toBe(false);
    expect(row('feature_spec.hash')?.changed).toBe(false);
  });
});

describe('an unreachable store', () => {
  it('fails with store_unreachable, naming the store', async () => {
    const store = openStore('s3://matcher-models/nowhere', 'http://127.0.0.1:9');

    const error = await failure(listVersions(store));

    expect(error).toBeInstanceOf(ModelStoreError);
    expect(error.code).toBe('store_unreachable');
    expect(error.message).toContain('s3://matcher-models/nowhere/');
  });
});
