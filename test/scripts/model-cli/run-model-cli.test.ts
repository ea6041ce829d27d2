import { LOCAL_STORE, runModelCli } from '../../../scripts/model-cli/run-model-cli';
import { rewriteManifest, useArtifactVersions } from '../../helpers/model-artifacts';
import { useS3Server } from '../../helpers/s3-server';
import { useScratch } from '../../helpers/scratch';

const s3 = useS3Server();
const scratch = useScratch();
const artifactVersion = useArtifactVersions();

describe.each([
  ['a directory', () => scratch.dir('model-cli'), {}],
  ['S3', () => s3.storeUrl('cli'), () => ({ AWS_ENDPOINT_URL_S3: s3.endpoint })],
] as const)('npm run model against %s', (_name, newStore, env) => {
  const environment = () => (typeof env === 'function' ? env() : env);

  it('publishes, lists, promotes, diffs and rolls back, saying what it did', async () => {
    const store = newStore();
    const run = (...args: string[]) => runModelCli([...args, '--store', store], environment());
    const older = artifactVersion('2026-07-01T000000Z', { precision: 0.91 });
    const newer = artifactVersion('2026-07-02T000000Z', { precision: 0.94 });

    const published = await run('publish', older, '--alias', 'live');
    await run('publish', newer, '--alias', 'candidate');
    const listed = await run('list');
    const diffed = await run('diff', 'live', 'candidate');
    const promoted = await run('promote', '2026-07-02T000000Z');
    const rolledBack = await run('rollback');
    const shown = await run('show', 'live');

    expect(published).toEqual({ code: 0, output: expect.stringContaining('published 2026-07-01T000000Z') });
    expect(listed.output).toMatch(/2026-07-01T000000Z\s+live\s.*0\.91/);
    expect(listed.output).toMatch(/2026-07-02T000000Z\s+candidate\s.*0\.94/);
    expect(diffed.output).toMatch(/\*\s+metrics\.precision\s+0\.91\s+0\.94\s+\+0\.03/);
    expect(promoted).toEqual({ code: 0, output: 'live -> 2026-07-02T000000Z (was 2026-07-01T000000Z)' });
    expect(rolledBack).toEqual({
      code: 0,
      output: 'live -> 2026-07-01T000000Z (rolled back from 2026-07-02T000000Z)',
    });
    expect(JSON.parse(shown.output)).toMatchObject({
      version: '2026-07-01T000000Z',
      manifest: { metrics: { precision: 0.91 } },
    });
  });

  it('diffs the test metrics by slice and budget type side by side, marking a slice that fell', async () => {
    const store = newStore();
    const run = (...args: string[]) => runModelCli([...args, '--store', store], environment());
    const older = artifactVersion('2026-07-03T000000Z');
    const newer = artifactVersion('2026-07-04T000000Z');
    rewriteManifest(newer, (m) => {
      const evaluations = m.evaluations as Record<string, { recall: number }>;
      (evaluations.test_slice_misfiled_category as { recall: number }).recall = 0.5;
    });
    await run('publish', older, '--alias', 'live');
    await run('publish', newer, '--alias', 'candidate');

    const diffed = await run('diff', 'live', 'candidate');

    expect(diffed.output).toContain('test set by slice and budget type');
    expect(diffed.output).toMatch(/slice misfiled_category\s+\S+\s+\S+\s+0\.\d+\s+0\.5 !/);
    expect(diffed.output).toMatch(/type unknown_or_missing\s/);
  });

  it('publishes an edited alias table with --reseal as a new version', async () => {
    const store = newStore();
    const edited = artifactVersion('2026-07-05T000000Z');
    const run = (...args: string[]) => runModelCli([...args, '--store', store], environment());

    const plain = await run('publish', edited);
    const resealed = await run('publish', edited, '--reseal');

    expect(plain.output).toContain('published 2026-07-05T000000Z');
    expect(resealed).toEqual({
      code: 0,
      output: expect.stringMatching(
        /^resealed 2026-07-05T000000Z as \S+Z \(\d+ alias brands; 0 golden scores changed\)\npublished /,
      ),
    });
  });

  it('warns when promoting a version trained on another feature spec than this checkout', async () => {
    const store = newStore();
    const other = artifactVersion('2026-07-03T000000Z');
    rewriteManifest(other, (m) => {
      (m.feature_spec as { hash: string }).hash = 'a'.repeat(64);
    });
    await runModelCli(['publish', other, '--store', store], environment());

    const result = await runModelCli(['promote', '2026-07-03T000000Z', '--store', store], environment());

    expect(result.code).toBe(0);
    expect(result.output).toMatch(/warning: .*feature spec aaaaaaaaaaaa/);
  });

  it('reports a failure with its code and exit status 1', async () => {
    const result = await runModelCli(['promote', '2026-01-01T000000Z', '--store', newStore()], environment());

    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^error \[version_not_found\]/);
  });
});

describe('npm run model usage', () => {
  it('answers an unknown command with the usage and exit status 2', async () => {
    const unknown = await runModelCli(['frobnicate', '--store', '/tmp'], {});

    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('unknown command "frobnicate"');
  });

  it('uses the local store under .data when no store is named', async () => {
    const listed = await runModelCli(['list', '--json'], {});

    expect(LOCAL_STORE).toBe('.data/model-store');
    expect(listed.code).toBe(0);
    expect(Array.isArray(JSON.parse(listed.output))).toBe(true);
  });

  it('says how to start an empty store', async () => {
    const store = scratch.dir('model-cli');
    const listed = await runModelCli(['list', '--store', store], {});

    expect(listed).toEqual({
      code: 0,
      output: expect.stringContaining(
        `no versions published yet\nstart it from the committed model: npm run model -- publish models/default --alias live --store ${store}`,
      ),
    });
  });

  it('tells a model artifact from a store', async () => {
    const artifact = artifactVersion('2026-07-04T000000Z');
    const listed = await runModelCli(['list', '--store', artifact], {});

    expect(listed.code).toBe(2);
    expect(listed.output).toContain(`${artifact} is a model artifact (it has a manifest.json), not a store`);
    expect(listed.output).toContain(`npm run model -- publish ${artifact} --alias live`);
  });
});
