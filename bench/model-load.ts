import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { openStore } from '../lambda/model-store';
import { publishVersion } from '../ops/model-admin';
import { writeSyntheticArtifact } from '../test/helpers/model-artifacts';
import { startS3Server } from '../test/helpers/s3-server';

/**
 * `npm run bench:load`: publishes a synthetic model with 1 GiB of float32 weights (41 → 16384 →
 * 16384 → 1, in 64 MiB shards) to a loopback S3 server (s3rver) and to a local directory store,
 * then loads it in a fresh child process from each, printing load time, throughput and peak RSS
 * over the baseline (target: ≤ 1.25 × the weight bytes). `-- --hidden 4096,4096` for a smaller
 * model; `--part-mib` and `--concurrency` tune the ranged reads.
 */
const ROOT = resolve(__dirname, '..');
const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hidden: { type: 'string', default: '16384,16384' },
      'shard-mib': { type: 'string', default: '64' },
      'part-mib': { type: 'string', default: '16' },
      concurrency: { type: 'string', default: '6' },
      runs: { type: 'string', default: '2' },
    },
  });
  const hidden = values.hidden.split(',').map(Number);
  const work = mkdtempSync(join(tmpdir(), 'bench-model-load-'));
  const s3 = await startS3Server();
  try {
    console.log(`writing a synthetic model (hidden ${hidden.join(' → ')}) ...`);
    const artifact = writeSyntheticArtifact(
      '2026-01-01T000000Z',
      hidden,
      Number(values['shard-mib']) * MiB,
      join(work, 'artifact'),
    );
    const stores = [
      { name: 's3 (loopback s3rver)', url: `s3://${s3.bucket}/bench` },
      { name: 'directory', url: join(work, 'store') },
    ];
    const rows: Array<Record<string, unknown>> = [];
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
        const m = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
        rows.push({ store: store.name, run: run + 1, publish_ms: publishMs, ...m });
      }
    }
    console.log(
      '\n| store | weights MiB | shards | load s | MB/s | baseline RSS MiB | peak RSS over baseline MiB | peak over baseline ÷ weight bytes |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of rows as Array<Record<string, number> & { store: string }>) {
      console.log(
        `| ${r.store} | ${((r.weight_bytes ?? 0) / MiB).toFixed(0)} | ${artifact.shards} | ${((r.load_ms ?? 0) / 1000).toFixed(2)} | ${(r.mb_per_s ?? 0).toFixed(0)} | ${((r.baseline_rss_bytes ?? 0) / MiB).toFixed(0)} | ${((r.peak_over_baseline_bytes ?? 0) / MiB).toFixed(0)} | ${(r.peak_over_weights ?? 0).toFixed(3)} |`,
      );
    }
    console.log(
      JSON.stringify({
        measured_at: new Date().toISOString(),
        node: process.version,
        part_mib: Number(values['part-mib']),
        concurrency: Number(values.concurrency),
        rows,
      }),
    );
  } finally {
    await s3.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
