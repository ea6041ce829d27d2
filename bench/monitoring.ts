/**
 * `npm run bench:monitoring [-- --rows 1000000] [--pglite-only]`: how long the monitoring SQL and
 * the report take on a results table of `rows` rows, in PGlite and, when DATABASE_URL is set, in
 * PostgreSQL (in a scratch schema, dropped afterwards). The table: 60 days of results written in
 * time order (as the service writes them), two model versions scoring every pair (live and
 * shadow), one pair in ten labelled, and one request in ten of the last 14 days captured (the AWS
 * default sample rate), each capture a request of one budget and ten line items.
 *
 * The target (issue 18): the report's error section and threshold what-if in ≤ 5 s for 1 M rows
 * on PGlite. Both are timed as the report runs them (queries, and the what-if's chart rendered
 * to SVG), and so is the SQL they replaced (views over the whole table, ranked after the captured
 * fields were read) in the same run, so the two compare under the same load. Writes
 * `.data/figures/monitoring.json` (`writeFigures`), with the 1-minute load average.
 */

import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type Database, migrate, openDatabase } from '../lambda/db';
import {
  DEFAULT_TREND_OPTIONS,
  pairErrors,
  qualityTrend,
  scoreHistogram,
  thresholdCurves,
} from '../lambda/monitoring';
import { buildReport, renderSvg } from '../report';
import { thresholdChartSpec } from '../report/threshold-chart';
import { writeFigures } from '../scripts/figures/write-figures';

const { values } = parseArgs({ options: { rows: { type: 'string' }, 'pglite-only': { type: 'boolean' } } });
const ROWS = Number(values.rows ?? 1_000_000);
const FROM = '2025-02-16';
const TO = '2025-03-01';

async function fill(db: Database): Promise<void> {
  // Pair p (request 'r' || p) is scored by v1 (live) and v2 (shadow) on day p × 60 / pairs, so the
  // table is in time order; ten line items a budget.
  const pairs = Math.floor(ROWS / 2);
  await db.exec(`
    INSERT INTO results (request_id, entry_index, role, budget_id, itemization_id, score, decision,
      threshold, model_version, scored_at)
    SELECT 'r' || (g / 2), 0, CASE WHEN g % 2 = 0 THEN 'live' ELSE 'shadow' END,
      'b' || (g / 2 / 10), 'i' || (g / 2 % 10), s, s >= 0.5, 0.5,
      CASE WHEN g % 2 = 0 THEN 'v1' ELSE 'v2' END,
      timestamptz '2025-01-01 00:00:00+00' + ((g / 2)::double precision * 60 / ${pairs}) * interval '1 day'
    FROM (SELECT g, ((g::bigint * 7919) % 1000) / 1000.0 AS s FROM generate_series(0, ${ROWS - 1}) g) AS x;
    INSERT INTO labels (budget_id, itemization_id, is_match, source)
    SELECT DISTINCT budget_id, itemization_id, score >= 0.45, 'bench'
    FROM results WHERE role = 'live' AND (hashtext(budget_id || itemization_id) % 10) = 0;
    INSERT INTO captures (request_id, captured_at, request)
    SELECT request_id, scored_at, jsonb_build_object(
      'budgets', jsonb_build_array(jsonb_build_object(
        'budget_id', budget_id, 'budget_type_budget', 'flight', 'budget_price_budget', '140.0',
        'actual_cost_budget', 131.98, 'travel_vendor_receipts', 'Southwest Airlines',
        'generated_at_budget', '2017-04-08 14:55:39', 'start_datetime_trips', '2017-04-18 04:00:00',
        'end_datetime_trips', '2017-04-19 04:00:00')),
      'all_user_expense_lineitems', (SELECT jsonb_agg(jsonb_build_object(
        'itemization_id', 'i' || k, 'expensed_amount_itemization', (10 + k)::text,
        'transaction_date_itemization', '2017-04-25 00:00:00', 'vendor_name_expense', 'SOUTHWEST AIR ' || k,
        'expense_type_name_itemization', 'Airfare', 'expense_category_itemization', 'travel'))
        FROM generate_series(0, 9) k))
    FROM results
    WHERE role = 'live' AND scored_at >= timestamptz '${FROM} 00:00:00+00' AND hashtext(request_id) % 10 = 0;
    ANALYZE results; ANALYZE labels; ANALYZE captures;`);
}

interface Timing {
  database: string;
  query: string;
  ms: number;
  rows: number;
}
const timings: Timing[] = [];
const load: number[] = [];
let current = '';

async function time(label: string, work: () => Promise<unknown>): Promise<number> {
  load.push(loadavg()[0] as number);
  const start = performance.now();
  const result = await work();
  const ms = Math.round(performance.now() - start);
  const rows = Array.isArray(result) ? result.length : 0;
  timings.push({ database: current, query: label, ms, rows });
  console.log(`  ${label.padEnd(60)} ${String(ms).padStart(7)} ms  (${rows} rows)`);
  return ms;
}

// What the report ran before 011_monitoring_window.sql, in the same run for comparison: the view
// pair_errors (every pair of the table, captured fields read for every error) ranked afterwards,
// and the own-threshold counts from the view pair_outcomes filtered after the whole table.
const BEFORE_ERRORS = `SELECT * FROM (
    SELECT e.*, row_number() OVER (PARTITION BY e.model_version, e.outcome
      ORDER BY e.margin DESC, e.budget_id, e.itemization_id) AS rank
    FROM pair_errors e WHERE e.day >= $1::date AND e.day <= $2::date
  ) ranked WHERE rank <= $3 ORDER BY model_version, outcome DESC, rank`;
const BEFORE_OWN = `SELECT model_version, mode() WITHIN GROUP (ORDER BY threshold) AS threshold,
    count(*) FILTER (WHERE outcome = 'tp')::int AS tp, count(*) FILTER (WHERE outcome = 'fp')::int AS fp,
    count(*) FILTER (WHERE outcome = 'fn')::int AS fn, count(*) FILTER (WHERE outcome = 'tn')::int AS tn
  FROM pair_outcomes WHERE day >= $1::date AND day <= $2::date GROUP BY model_version`;

async function bench(name: string, db: Database): Promise<Record<string, number>> {
  current = name;
  await migrate(db);
  const start = performance.now();
  await fill(db);
  const { rows } = await db.query<{ labels: number; captures: number }>(
    'SELECT (SELECT count(*)::int FROM labels) AS labels, (SELECT count(*)::int FROM captures) AS captures',
  );
  console.log(
    `${name}: ${ROWS} result rows, ${rows[0]?.labels} labelled pairs, ${rows[0]?.captures} captured requests (filled in ${((performance.now() - start) / 1000).toFixed(1)} s)`,
  );
  const range = { from: FROM, to: TO };
  await time('daily_quality (all days)', async () => (await db.query('SELECT * FROM daily_quality')).rows);
  await time('quality_trend() (all days)', () => qualityTrend(db));
  await time('score_histogram(10) (last 14 days)', () => scoreHistogram(db, range));
  const errors = await time('errors: pairErrors top 10 (last 14 days)', () =>
    pairErrors(db, { ...range, limit: 10 }),
  );
  let found: Awaited<ReturnType<typeof thresholdCurves>> = [];
  const curves = await time('what-if: thresholdCurves(100) (last 14 days)', async () => {
    found = await thresholdCurves(db, range);
    return found;
  });
  const chart = await time('what-if chart: Vega-Lite to SVG', async () => [
    await renderSvg(thresholdChartSpec(found)),
  ]);
  const before = await time(
    'before 011: pair_errors view ranked (last 14 days)',
    async () => (await db.query(BEFORE_ERRORS, [FROM, TO, 10])).rows,
  );
  const beforeOwn = await time(
    'before 011: own-threshold counts from pair_outcomes',
    async () => (await db.query(BEFORE_OWN, [FROM, TO])).rows,
  );
  await time('report (14 days, all sections, HTML)', async () => {
    const report = await buildReport(
      db,
      { days: 14, bins: 10, trend: DEFAULT_TREND_OPTIONS, top: 10, steps: 100, targetPrecision: 0.9 },
      { source: name, now: new Date(`${TO}T12:00:00Z`) },
    );
    return report.data.errors;
  });
  return { errors, curves, chart, before, beforeOwn };
}

async function main(): Promise<void> {
  const results: { database: string; sections: Record<string, number> }[] = [];
  const pglite = await openDatabase({ memory: true });
  results.push({ database: 'PGlite (in memory)', sections: await bench('PGlite (in memory)', pglite) });
  await pglite.close();
  const url = process.env.DATABASE_URL;
  if (url && !values['pglite-only']) {
    const schema = `bench_monitoring_${process.pid}`;
    const admin = await openDatabase({ url });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const db = await openDatabase({ pool: { connectionString: url, options: `-c search_path=${schema}` } });
    try {
      const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      const name = `PostgreSQL ${rows[0]?.v}`;
      results.push({ database: name, sections: await bench(name, db) });
    } finally {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  }
  const loadRange = `${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`;
  const path = writeFigures('monitoring', {
    command: `npm run bench:monitoring -- --rows ${ROWS}${values['pglite-only'] ? ' --pglite-only' : ''}`,
    figures: { rows: ROWS, window: { from: FROM, to: TO }, load_average_1m: loadRange, timings, results },
    tables: [
      {
        id: 'target',
        title: `The report's error section and threshold what-if, ${ROWS.toLocaleString('en-US')} result rows, last 14 of 60 days (target ≤ 5,000 ms on PGlite); 1-minute load average ${loadRange}`,
        columns: [
          'database',
          'errors (top 10) ms',
          'what-if ms',
          'what-if chart ms',
          'together ms',
          'the same before 011 ms',
        ],
        rows: results.map(({ database, sections: s }) => [
          database,
          s.errors ?? null,
          s.curves ?? null,
          s.chart ?? null,
          (s.errors ?? 0) + (s.curves ?? 0) + (s.chart ?? 0),
          // Before: the errors from the view, the curve's own-threshold counts from the view, the
          // curve itself (its function now reads the window too) and the chart as measured now.
          (s.before ?? 0) + (s.beforeOwn ?? 0) + (s.curves ?? 0) + (s.chart ?? 0),
        ]),
      },
      {
        id: 'queries',
        title: 'Every query timed',
        columns: ['database', 'query', 'ms', 'rows'],
        rows: timings.map((t) => [t.database, t.query, t.ms, t.rows]),
      },
    ],
    notes: [
      'Times are from a machine shared with other jobs: compare rows of one run with each other, and see the load average.',
    ],
  });
  console.log(`written to ${path}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
