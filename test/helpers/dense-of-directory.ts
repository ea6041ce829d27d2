import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DenseForward, denseForwardOf, type NamedWeight } from '../../lambda/model';

/**
 * The dense pass of the model artifact in `dir`, read from its model.json and weight files (no
 * manifest checks: tests and benchmarks use it to call `DenseForward` directly, e.g. the scalar
 * pass beside the WebAssembly kernel).
 */
export function denseOfDirectory(dir: string): DenseForward {
  const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: unknown;
    weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[] }> }>;
  };
  const weights = new Map<string, NamedWeight>();
  for (const group of model.weightsManifest) {
    const data = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    let offset = 0;
    for (const { name, shape } of group.weights) {
      const size = shape.reduce((n, d) => n * d, 1);
      const values = new Float32Array(size);
      for (let k = 0; k < size; k++) values[k] = data.readFloatLE(offset + 4 * k);
      weights.set(name, { shape, values });
      offset += 4 * size;
    }
  }
  const dense = denseForwardOf(model.modelTopology, weights);
  if (!dense) throw new Error(`${dir}: not a stack of Dense layers the dense pass covers`);
  return dense;
}
