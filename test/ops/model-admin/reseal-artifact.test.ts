import '@tensorflow/tfjs-backend-cpu';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelLoadError } from '../../../lambda/errors';
import { loadModel } from '../../../lambda/model';
import { DirectoryStore } from '../../../lambda/model-store';
import { publishVersion, resealArtifact } from '../../../ops/model-admin';
import { artifactVersion, nanArtifact } from '../../helpers/model-artifacts';

const temporary: string[] = [];
const artifact = (version: string) => {
  const dir = artifactVersion(version);
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Adds a brand whose descriptor shares no letters with its name, as a user extends the table. */
function addBrand(dir: string, brand: string, variants: string[]): void {
  const path = join(dir, 'vendor-aliases.json');
  const table = JSON.parse(readFileSync(path, 'utf8')) as { brands: Record<string, string[]> };
  table.brands[brand] = variants;
  writeFileSync(path, JSON.stringify(table, null, 2));
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

describe('resealArtifact (publish --reseal): extending the vendor alias table without retraining', () => {
  it('seals an edited table as a new version that loads and publishes, golden scores re-recorded', async () => {
    const dir = artifact('2026-12-01T000000Z');
    const before = manifestOf(dir);
    addBrand(dir, 'Delta Air Lines', ['SKYMILES TRAVEL SVCS']);
    addBrand(dir, 'Acme Air', ['ACME AIRWAYS', 'ZZQ HOLDINGS']);
    const edited = await loadModel(dir, 'cpu').then(
      () => undefined,
      (e: unknown) => e,
    );

    const result = await resealArtifact(dir, new Date('2026-12-02T10:00:00Z'));

    expect((edited as ModelLoadError).code).toBe('checksum_mismatch');
    expect(result).toMatchObject({ version: '2026-12-02T100000Z', previousVersion: '2026-12-01T000000Z' });
    const after = manifestOf(dir);
    expect(after.vendor_aliases.brands).toBe(before.vendor_aliases.brands + 1);
    expect(after.vendor_aliases.sha256).not.toBe(before.vendor_aliases.sha256);
    const weights = (m: { files: Array<{ path: string; sha256: string }> }) =>
      m.files.find((f) => f.path === 'weights.bin')?.sha256;
    expect(weights(after)).toBe(weights(before));
    expect(after.golden.requests.map((r: { name: string }) => r.name)).toEqual(
      before.golden.requests.map((r: { name: string }) => r.name),
    );
    const model = await loadModel(dir, 'cpu');
    expect(model.aliases.brands).toContain('Acme Air');
    model.dispose();
    const store = new DirectoryStore(artifact('2026-12-01T000001Z'));
    await expect(publishVersion(store, dir)).resolves.toMatchObject({ version: '2026-12-02T100000Z' });
  });

  it('never seals a model whose golden requests score NaN', async () => {
    const dir = nanArtifact(artifact('2026-12-01T000002Z'));

    const error = await resealArtifact(dir).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).code).toBe('golden_mismatch');
  });
});
