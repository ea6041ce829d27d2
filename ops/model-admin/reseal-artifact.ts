import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelStoreError } from '../../lambda/errors';
import { Normaliser, parseVendorAliases } from '../../lambda/features';
import { loadModel, scoreGolden, withReciprocalStage } from '../../lambda/model';
import { selectBackend } from '../../lambda/model/backend';
import { DirectoryStore, type Manifest, manifestSchema, readManifest } from '../../lambda/model-store';
import { hashFile } from './hash-file';

/** What a reseal changed. */
export interface ResealResult {
  readonly version: string;
  readonly previousVersion: string;
  /** Brands in the vendor alias table now. */
  readonly brands: number | undefined;
  /** Golden pairs whose expected score moved by more than the tolerance. */
  readonly goldenChanged: number;
}

/**
 * Seals an edited copy of an artifact as a new version, in place (`npm run model -- publish DIR
 * --reseal`): a new time-stamped version id, every file's size and sha256 again, the vendor alias
 * table's sha256 and brand count, and the golden requests re-run with the edited table and their
 * new expected scores recorded. The golden requests are still held to finite scores in [0, 1]:
 * an edit never seals a model that would serve garbage. What users do to extend the alias table
 * without retraining (docs/models.md); the weights and the recorded metrics are not touched.
 */
export async function resealArtifact(artifactDir: string, now: Date = new Date()): Promise<ResealResult> {
  const manifest = await readManifest(new DirectoryStore(artifactDir), '');
  const files: Manifest['files'] = [];
  for (const file of manifest.files) {
    const actual = await hashFile(join(artifactDir, file.path)).catch((cause: unknown) => {
      throw new ModelStoreError('model_file_missing', `${file.path} is not in ${artifactDir}`, file.path, {
        cause,
      });
    });
    files.push({ path: file.path, sha256: actual.sha256, bytes: actual.bytes });
  }
  let vendorAliases = manifest.vendor_aliases;
  if (vendorAliases) {
    const path = vendorAliases.path;
    const text = await readFile(join(artifactDir, path), 'utf8');
    let brands: number;
    try {
      brands = Object.keys(parseVendorAliases(text).brands).length;
    } catch (cause) {
      throw new ModelStoreError(
        'invalid_artifact',
        `${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
        path,
        { cause },
      );
    }
    const sha256 = files.find((f) => f.path === path)?.sha256;
    if (sha256 === undefined)
      throw new ModelStoreError('invalid_artifact', `${path} is not one of the manifest's files`, path);
    vendorAliases = { path, sha256, brands };
  }
  const version = batchId(now);
  const sealed: Manifest = {
    ...manifest,
    version,
    created_at: now.toISOString(),
    files,
    ...(vendorAliases ? { vendor_aliases: vendorAliases } : {}),
  };
  await writeManifest(artifactDir, sealed);

  // The golden requests with the edited table: finite and in [0, 1], then recorded.
  const model = await loadModel(artifactDir, await selectBackend(), {}, { compareExpected: false });
  let goldenChanged = 0;
  try {
    if (sealed.golden) {
      const scores = scoreGolden(
        sealed,
        withReciprocalStage(model.score, model.stage),
        () => new Normaliser(model.aliases),
      );
      const tolerance = sealed.golden.tolerance;
      const requests = sealed.golden.requests.map((request) => {
        const mine = scores.filter((s) => s.request === request.name);
        goldenChanged += mine.filter((s) => Math.abs(s.actual - (s.expected ?? s.actual)) > tolerance).length;
        return { ...request, scores: mine.map((s) => Math.round(s.actual * 1e6) / 1e6) };
      });
      await writeManifest(artifactDir, { ...sealed, golden: { tolerance, requests } });
    }
  } finally {
    model.dispose();
  }
  return { version, previousVersion: manifest.version, brands: vendorAliases?.brands, goldenChanged };
}

async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`);
}

/** A time-stamped batch id such as `2026-11-23T031500Z` (what training names versions). */
function batchId(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 19).replace(/:/g, '')}Z`;
}
