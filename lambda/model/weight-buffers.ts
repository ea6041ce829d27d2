import type * as tf from '@tensorflow/tfjs-core';
import { ModelLoadError } from '../errors';
import { SegmentedBuffer } from '../model-store';

/** One group of TF.js's weights manifest: its shard files and the weights stored in them, in order. */
export interface WeightGroup {
  readonly paths: readonly string[];
  readonly weights: readonly tf.io.WeightsManifestEntry[];
}

/** Memory for every weight, and for each shard file the part of that memory it fills. */
export interface WeightBuffers {
  readonly weights: ReadonlyArray<{
    readonly spec: tf.io.WeightsManifestEntry;
    readonly buffer: ArrayBuffer;
  }>;
  readonly shards: ReadonlyArray<{ readonly path: string; readonly target: SegmentedBuffer }>;
}

const VALUE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Allocates one buffer per weight tensor, exactly its size, and maps each shard file onto them
 * (TF.js shards are slices of each group's weights laid end to end, and a weight may straddle
 * two shards). Reading a shard into its target fills the weights' own buffers: no shard-sized
 * copies, no concatenated copy of all weights. Throws `invalid_artifact` when the shards' sizes
 * (from the manifest) do not add up to the weights the model declares.
 */
export function allocateWeightBuffers(
  groups: readonly WeightGroup[],
  shardBytes: ReadonlyMap<string, number>,
): WeightBuffers {
  const weights: Array<{ spec: tf.io.WeightsManifestEntry; buffer: ArrayBuffer }> = [];
  const shards: Array<{ path: string; target: SegmentedBuffer }> = [];
  for (const group of groups) {
    const groupWeights = group.weights.map((spec) => ({ spec, buffer: new ArrayBuffer(weightBytes(spec)) }));
    weights.push(...groupWeights);
    const declared = groupWeights.reduce((sum, w) => sum + w.buffer.byteLength, 0);
    const stored = group.paths.reduce((sum, p) => sum + (shardBytes.get(p) ?? Number.NaN), 0);
    if (stored !== declared) {
      throw new ModelLoadError(
        'invalid_artifact',
        `weight shards ${group.paths.join(', ')} hold ${stored} bytes; model.json declares ${declared} bytes of weights`,
        'model.json',
      );
    }
    let weightIndex = 0;
    let weightOffset = 0;
    for (const path of group.paths) {
      let remaining = shardBytes.get(path) ?? 0;
      const segments: Uint8Array[] = [];
      while (remaining > 0) {
        const weight = groupWeights[weightIndex] as { buffer: ArrayBuffer };
        const n = Math.min(weight.buffer.byteLength - weightOffset, remaining);
        segments.push(new Uint8Array(weight.buffer, weightOffset, n));
        remaining -= n;
        weightOffset += n;
        if (weightOffset === weight.buffer.byteLength) {
          weightIndex++;
          weightOffset = 0;
        }
      }
      shards.push({ path, target: new SegmentedBuffer(segments) });
    }
  }
  return { weights, shards };
}

function weightBytes(spec: tf.io.WeightsManifestEntry): number {
  const valueType = spec.quantization?.dtype ?? spec.dtype;
  const bytes = VALUE_BYTES[valueType];
  if (bytes === undefined) {
    throw new ModelLoadError(
      'invalid_artifact',
      `weight ${spec.name} has unsupported dtype ${valueType}`,
      'model.json',
    );
  }
  return spec.shape.reduce((n, d) => n * d, 1) * bytes;
}
