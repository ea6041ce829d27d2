import { cpSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { parseRequest } from '../../../lambda/contract';
import { ModelLoadError } from '../../../lambda/errors';
import { normaliseBudget, normaliseItem, pairFeatures } from '../../../lambda/features';
import { loadModel } from '../../../lambda/model';
import { loadRequest } from '../../helpers/events';
import { useScratch } from '../../helpers/scratch';

const DEFAULT_MODEL = join(__dirname, '..', '..', '..', 'models', 'default');

function editManifest(dir: string, edit: (manifest: Record<string, unknown>) => void): void {
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(path, JSON.stringify(manifest));
}

function tripFeatures(): { features: Float32Array; rows: number } {
  const parsed = parseRequest(loadRequest('direct-invoke-trip'));
  const budgets = parsed.budgets.flatMap((b) => (b.ok ? [normaliseBudget(b.value)] : []));
  const items = parsed.items.flatMap((i) => (i.ok ? [normaliseItem(i.value)] : []));
  return { features: pairFeatures(budgets, items), rows: budgets.length * items.length };
}

async function loadError(dir: string): Promise<ModelLoadError> {
  const error = await loadModel(dir, 'cpu').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelLoadError);
  return error as ModelLoadError;
}

describe('loadModel', () => {
  const scratch = useScratch();
  /** A copy of the default artifact in a scratch directory, for a test to damage. */
  const copyOfDefaultModel = () => {
    const dir = scratch.dir('matcher-model');
    cpSync(DEFAULT_MODEL, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('loads the default artifact with its manifest version and threshold', async () => {
    const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL, 'manifest.json'), 'utf8'));

    const model = await loadModel(DEFAULT_MODEL, 'cpu');

    expect(model.version).toBe(manifest.version);
    expect(model.threshold).toBe(manifest.threshold);
    expect(model.manifest.metrics.precision).toBeGreaterThan(0);
  });

  it('scores every row in one call, each a probability', async () => {
    const model = await loadModel(DEFAULT_MODEL, 'cpu');
    const { features, rows } = tripFeatures();

    const scores = model.score(features, rows);

    expect(scores).toHaveLength(rows);
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
  });

  it('refuses an artifact trained on another feature spec, saying so', async () => {
    const dir = copyOfDefaultModel();
    editManifest(dir, (m) => {
      (m.feature_spec as { hash: string }).hash = 'f'.repeat(64);
    });

    const error = await loadError(dir);

    expect(error.code).toBe('feature_spec_mismatch');
    expect(error.message).toMatch(/feature spec/);
  });

  it('refuses a weight file whose checksum does not match, naming the file', async () => {
    const dir = copyOfDefaultModel();
    const weights = readFileSync(join(dir, 'weights.bin'));
    weights[0] = (weights[0] ?? 0) ^ 0xff;
    writeFileSync(join(dir, 'weights.bin'), weights);

    const error = await loadError(dir);

    expect(error.code).toBe('checksum_mismatch');
    expect(error.field).toBe('weights.bin');
  });

  it('refuses a truncated weight file', async () => {
    const dir = copyOfDefaultModel();
    const weights = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), weights.subarray(0, weights.length - 4));

    expect((await loadError(dir)).code).toBe('checksum_mismatch');
  });

  it('says when the manifest is missing or not valid', async () => {
    const missing = copyOfDefaultModel();
    unlinkSync(join(missing, 'manifest.json'));
    const invalid = copyOfDefaultModel();
    editManifest(invalid, (m) => {
      delete m.threshold;
    });

    expect((await loadError(missing)).code).toBe('model_not_found');
    expect((await loadError(invalid)).code).toBe('invalid_manifest');
  });

  it('gives the same scores on the wasm and cpu backends', async () => {
    const { features, rows } = tripFeatures();
    const cpuModel = await loadModel(DEFAULT_MODEL, { backends: ['cpu'], engine: 'tfjs' });
    const cpu = cpuModel.score(features, rows);

    const wasmModel = await loadModel(DEFAULT_MODEL, { backends: ['wasm'], engine: 'tfjs' });
    const wasm = wasmModel.score(features, rows);
    await tf.setBackend('cpu');

    expect([cpuModel.backend, wasmModel.backend]).toEqual(['cpu', 'wasm']);
    expect(wasm).toHaveLength(cpu.length);
    for (const [i, score] of cpu.entries()) expect(wasm[i]).toBeCloseTo(score, 5);
  });
});
