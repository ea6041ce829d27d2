import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { type Manifest, manifestSchema } from '../lambda/model-store';

/** Everything a manifest says except the checksums of the files, which saving computes. */
export type ManifestWithoutFiles = Omit<Manifest, 'files'>;

const WEIGHTS_FILE = 'weights.bin';

/**
 * Writes a model artifact to `dir`: `model.json` in TF.js's standard layers format (topology
 * and a weights manifest naming one shard), `weights.bin`, and `manifest.json` with the sha256
 * and size of both. The manifest is validated against the schema serving loads with before
 * anything is written, so a run never leaves an artifact that serving would refuse.
 */
export async function saveArtifact(
  dir: string,
  model: LayersModel,
  manifest: ManifestWithoutFiles,
  /** Files beside the model (the vendor alias table), listed and checksummed like the rest. */
  extraFiles: ReadonlyArray<{ readonly path: string; readonly bytes: Buffer }> = [],
): Promise<Manifest> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  if (!artifacts?.weightSpecs || !artifacts.weightData || !artifacts.modelTopology) {
    throw new Error('TF.js saved no topology or weights');
  }
  const weights = Buffer.from(
    Array.isArray(artifacts.weightData)
      ? tf.io.concatenateArrayBuffers(artifacts.weightData)
      : (artifacts.weightData as ArrayBuffer),
  );
  const modelJson = Buffer.from(
    `${JSON.stringify(
      {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      },
      null,
      2,
    )}\n`,
  );
  const complete = manifestSchema.parse({
    ...manifest,
    files: [
      fileEntry('model.json', modelJson),
      fileEntry(WEIGHTS_FILE, weights),
      ...extraFiles.map((f) => fileEntry(f.path, f.bytes)),
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), modelJson);
  await writeFile(join(dir, WEIGHTS_FILE), weights);
  for (const file of extraFiles) await writeFile(join(dir, file.path), file.bytes);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(complete, null, 2)}\n`);
  return complete;
}

export function fileEntry(path: string, bytes: Buffer): Manifest['files'][number] {
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
}
