import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { openStore } from '../lambda/model-store';
import { publishVersion } from '../ops/model-admin';
import { renderTable } from '../scripts/figures/render-figures';
import { writeFigures } from '../scripts/figures/write-figures';
import { writeSyntheticArtifact } from '../test/helpers/model-artifacts';
import { startS3Server } from '../test/helpers/s3-server';
import { type LoadRun, modelLoadFigures } from './model-load-figures';

/**
 * `npm run bench:load`: publishes synthetic models of float32 weights (by default FEATURE_COUNT → 16384 →
 * 16384 → 1, 1 GiB, and FEATURE_COUNT → 8192 → 8192 → 1, 257 MiB, in 64 MiB shards) to a loopback S3
 * server (s3rver) and to a local directory store, then loads each in a fresh child process from
 * each store, `--runs` times, measuring load time, throughput and peak RSS over the baseline
 * (target: ≤ 1.25 × the weight bytes). `-- --hidden 4096,4096` (repeatable) picks the models;
 * `--shard-mib`, `--part-mib` and `--concurrency` tune the layout and the ranged reads. Writes its
 * figures (`.data/figures/model-load.json`, `writeFigures`) for docs/models.md.
 */
const ROOT = resolve(__dirname, '..');
const MiB = 1024 * 1024;
const DEFAULT_MODELS = ['16384,16384', '8192,8192'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hidden: { type: 'string', multiple: true },
      'shard-mib': { type: 'string', default: '64' },
      'part-mib': { type: 'string', default: '16' },
      concurrency: { type: 'string', default: '6' },
      runs: { type: 'string', default: '2' },
    },
  });
  const models = (values.hidden ?? DEFAULT_MODELS).map((h) => h.split(',').map(Number));
  const loadAtStart = loadavg();
  const work = mkdtempSync(join(tmpdir(), 'bench-model-load-'));
  const s3 = await startS3Server();
  const rows: LoadRun[] = [];
  try {
    for (const [m, hidden] of models.entries()) {
      console.log(`writing a synthetic model (hidden ${hidden.join(' → ')}) ...`);
      const artifact = writeSyntheticArtifact(
        `2026-01-01T00000${m}Z`,
        hidden,
        Number(values['shard-mib']) * MiB,
        join(work, `artifact-${m}`),
      );
      const stores = [
        { name: 's3 (loopback s3rver)', url: `s3://${s3.bucket}/bench-${m}` },
        { name: 'directory', url: join(work, `store-${m}`) },
      ];
      for (const store of stores) {
        console.log(`publishing ${(artifact.weightBytes / MiB).toFixed(0)} MiB to ${store.name} ...`);
        const started = Date.now();
        await publishVersion(openStore(store.url, s3.endpoint), artifact.dir);
        const publishMs = Date.now() - started;
        for (let run = 0; run < Number(values.runs); run++) {
          // Asynchronous: the S3 server runs in this process and must keep answering.
          const { stdout } = await promisify(execFile)(
            process.execPath,
            ['--expose-gc', '--import', 'tsx', join('test', 'helpers', 'measure-model-load.ts')],
            {
              cwd: ROOT,
              maxBuffer: 1 << 20,
              env: {
                ...process.env,
                ...s3.env,
                MODEL_STORE: store.url,
                MODEL_VERSION: artifact.version,
                PART_BYTES: String(Number(values['part-mib']) * MiB),
                READ_CONCURRENCY: values.concurrency,
              },
            },
          );
          const measured = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as LoadRun['measured'];
          rows.push({
            hidden,
            shards: artifact.shards,
            store: store.name,
            run: run + 1,
            publish_ms: publishMs,
            measured,
          });
          const r = measured;
          console.log(
            `  run ${run + 1}: ${(r.load_ms / 1000).toFixed(2)} s, ${r.mb_per_s.toFixed(0)} MB/s, peak over baseline ${(r.peak_over_baseline_bytes / MiB).toFixed(0)} MiB (${r.peak_over_weights.toFixed(3)} × the weights)`,
          );
        }
        // Only the stores are read from now on: the next model needs the disk more than this one.
      }
      rmSync(artifact.dir, { recursive: true, force: true });
    }
  } finally {
    await s3.close();
    rmSync(work, { recursive: true, force: true });
  }
  const args = process.argv.slice(2);
  const figures = modelLoadFigures({
    command: `npm run bench:load${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
    shardMib: Number(values['shard-mib']),
    partMib: Number(values['part-mib']),
    concurrency: Number(values.concurrency),
    loadAverage: { start: loadAtStart, end: loadavg() },
    runs: rows,
  });
  console.log(`\n${renderTable(figures.tables?.[0] ?? { columns: ['-'], rows: [] })}`);
  console.log(`figures: ${writeFigures('model-load', figures)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
