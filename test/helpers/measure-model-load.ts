import { readFileSync, writeFileSync } from 'node:fs';
import { FEATURE_COUNT } from '../../lambda/features';
import { loadModel } from '../../lambda/model';
import { selectBackend } from '../../lambda/model/backend';
import { openStore, readManifest, STORE_LAYOUT } from '../../lambda/model-store';

/**
 * Run as a child process (`node --expose-gc --import tsx test/helpers/measure-model-load.ts`):
 * loads version `MODEL_VERSION` from the store `MODEL_STORE` (through `AWS_ENDPOINT_URL_S3` for
 * S3) and prints one JSON line: resident memory before the load (the baseline, after warming up
 * the code paths and a GC), the peak while loading (the kernel's high-water mark, reset at the
 * baseline), the weight bytes, the load time. `PART_BYTES` and `READ_CONCURRENCY` tune reading.
 */
function status(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match?.[1]) throw new Error(`no ${field} in /proc/self/status`);
  return Number(match[1]) * 1024;
}

async function main(): Promise<void> {
  const url = process.env.MODEL_STORE ?? '';
  const version = process.env.MODEL_VERSION ?? '';
  const options = {
    ...(process.env.PART_BYTES ? { partBytes: Number(process.env.PART_BYTES) } : {}),
    ...(process.env.READ_CONCURRENCY ? { concurrency: Number(process.env.READ_CONCURRENCY) } : {}),
  };
  const backend = await selectBackend(['cpu']);
  const store = openStore(url, process.env.AWS_ENDPOINT_URL_S3);
  const prefix = STORE_LAYOUT.versionPrefix(version);
  // Warm up: the SDK, a connection to the store, and TF.js layers code (a small model, discarded).
  const manifest = await readManifest(store, prefix);
  // TF.js is loaded lazily (only for a model the dense pass does not cover): load its code here, so
  // the measured peak is the weights' cost and not the fixed cost of TF.js's modules.
  (await loadModel('models/default', { backends: [backend], engine: 'tfjs' })).dispose();
  (await loadModel('models/default', backend)).dispose();
  const weightBytes = manifest.files.filter((f) => f.path !== 'model.json').reduce((n, f) => n + f.bytes, 0);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const baseline = status('VmRSS');
  // Writing 5 resets the high-water mark to the current RSS (Linux), so VmHWM is this load's peak.
  writeFileSync('/proc/self/clear_refs', '5');

  const started = process.hrtime.bigint();
  const model = await loadModel({ store, prefix }, backend, options);
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  const peak = status('VmHWM');

  const score = model.score(new Float32Array(FEATURE_COUNT), 1)[0];
  console.log(
    JSON.stringify({
      version: model.version,
      weight_bytes: weightBytes,
      baseline_rss_bytes: baseline,
      peak_rss_bytes: peak,
      peak_over_baseline_bytes: peak - baseline,
      peak_over_weights: (peak - baseline) / weightBytes,
      load_ms: loadMs,
      mb_per_s: weightBytes / 1e6 / (loadMs / 1000),
      scores: Number.isFinite(score),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
