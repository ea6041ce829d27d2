/**
 * `npm run bench:monitoring [-- --rows 1000000]`: how long the monitoring SQL takes on a results
 * table of `rows` rows (60 days, two model versions, one pair in ten labelled), in PGlite and,
 * when DATABASE_URL is set, in PostgreSQL (in a scratch schema, dropped afterwards).
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { type Database, migrate, openDatabase } from '../lambda/db';
import {
  DEFAULT_TREND_OPTIONS,
  pairErrors,
  qualityTrend,
  scoreHistogram,
  thresholdCurves,
} from '../lambda/monitoring';
import { buildReport } from '../report';

const { values } = parseArgs({ options: { rows: { type: 'string' }, 'pglite-only': { type: 'boolean' } } });
const ROWS = Number(values.rows ?? 1_000_000);

async function fill(db: Database): Promise<void> {
  // Two versions score the same pairs (live and shadow); a pair is scored on one day.
  await db.exec(`
    INSERT INTO results (request_id, entry_index, role, budget_id, itemization_id, score, decision,
      threshold, model_version, scored_at)
    SELECT 'r' || (g / 2), 0, CASE WHEN g % 2 = 0 THEN 'live' ELSE 'shadow' END,
      'b' || (g / 2 / 10), 'i' || (g / 2 % 10), s, s >= 0.5, 0.5,
      CASE WHEN g % 2 = 0 THEN 'v1' ELSE 'v2' END,
      timestamptz '2025-01-01' + ((g / 2) % 60) * interval '1 day' + (g % 86400) * interval '1 second'
    FROM (SELECT g, ((g::bigint * 7919) % 1000) / 1000.0 AS s FROM generate_series(0, ${ROWS - 1}) g) AS x;
    INSERT INTO labels (budget_id, itemization_id, is_match, source)
    SELECT DISTINCT budget_id, itemization_id, score >= 0.45, 'bench'
    FROM results WHERE role = 'live' AND (hashtext(budget_id || itemization_id) % 10) = 0;
    ANALYZE results; ANALYZE labels;`);
}

const figures: { database: string; query: string; ms: number; rows: number }[] = [];
let current = '';

async function time(label: string, work: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  const result = await work();
  const rows = Array.isArray(result) ? result.length : 0;
  figures.push({ database: current, query: label, ms: Math.round(performance.now() - start), rows });
  console.log(
    `  ${label.padEnd(36)} ${(performance.now() - start).toFixed(0).padStart(7)} ms  (${rows} rows)`,
  );
}

async function bench(name: string, db: Database): Promise<void> {
  current = name;
  await migrate(db);
  const start = performance.now();
  await fill(db);
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM labels');
  console.log(
    `${name}: ${ROWS} result rows, ${rows[0]?.n} labelled pairs (filled in ${((performance.now() - start) / 1000).toFixed(1)} s)`,
  );
  await time('daily_quality (all days)', async () => (await db.query('SELECT * FROM daily_quality')).rows);
  await time('quality_trend() (all days)', () => qualityTrend(db));
  await time('score_histogram(10) (all days)', () => scoreHistogram(db, { bins: 10 }));
  await time('score_histogram(10) (last 14 days)', () =>
    scoreHistogram(db, { from: '2025-02-16', to: '2025-03-01' }),
  );
  await time('pair_errors top 20 (last 14 days)', () =>
    pairErrors(db, { from: '2025-02-16', to: '2025-03-01', limit: 20 }),
  );
  await time('threshold_curve(100) (last 14 days)', () =>
    thresholdCurves(db, { from: '2025-02-16', to: '2025-03-01' }),
  );
  // The whole HTML report of the last 14 days: every query, the trend detectors, three charts.
  await time('report (14 days, all sections, HTML)', async () => {
    const report = await buildReport(
      db,
      { days: 14, bins: 10, trend: DEFAULT_TREND_OPTIONS, top: 10, steps: 100, targetPrecision: 0.9 },
      { source: name, now: new Date('2025-03-01T12:00:00Z') },
    );
    return report.data.errors;
  });
}

async function main(): Promise<void> {
  const pglite = await openDatabase({ memory: true });
  await bench('PGlite (in memory)', pglite);
  await pglite.close();
  const url = process.env.DATABASE_URL;
  if (url && !values['pglite-only']) {
    const schema = `bench_monitoring_${process.pid}`;
    const admin = await openDatabase({ url });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const db = await openDatabase({ pool: { connectionString: url, options: `-c search_path=${schema}` } });
    try {
      const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      await bench(`PostgreSQL ${rows[0]?.v}`, db);
    } finally {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  }
}

async function write(): Promise<void> {
  const file = '.data/bench/monitoring.json';
  await mkdir('.data/bench', { recursive: true });
  const machine = `${hostname()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`;
  await writeFile(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, node: process.version, rows: ROWS, figures }, null, 2)}\n`,
  );
  console.log(`written to ${file}`);
}

main()
  .then(write)
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
