import { migrate, openDatabase } from './lambda/db';
async function main() {
  const db = await openDatabase({ memory: true });
  await migrate(db);
  const ROWS = 1_000_000;
  let t = performance.now();
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
  console.log('fill', performance.now() - t);
  const queries: Record<string, string> = {
    errors: `EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM (
       SELECT e.*, to_char(e.day, 'YYYY-MM-DD') AS day_text, row_number() OVER (PARTITION BY e.model_version, e.outcome
         ORDER BY e.margin DESC, e.budget_id, e.itemization_id) AS rank
       FROM pair_errors e
       WHERE e.day >= '2025-02-16' AND e.day <= '2025-03-01'
     ) ranked WHERE rank <= 10`,
    curve: `EXPLAIN (ANALYZE) SELECT * FROM threshold_curve('2025-02-16', '2025-03-01', 100)`,
    curveInline: `EXPLAIN (ANALYZE) SELECT model_version, count(*) FROM pair_outcomes o WHERE o.day >= '2025-02-16' AND o.day <= '2025-03-01' GROUP BY 1`,
    own: `EXPLAIN (ANALYZE) SELECT model_version,
       mode() WITHIN GROUP (ORDER BY threshold) AS threshold,
       count(*) FILTER (WHERE outcome = 'tp')::int AS tp
     FROM pair_outcomes
     WHERE day >= '2025-02-16' AND day <= '2025-03-01'
     GROUP BY model_version`,
  };
  for (const [name, sql] of Object.entries(queries)) {
    t = performance.now();
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(sql);
    console.log(`== ${name} ${(performance.now() - t).toFixed(0)} ms`);
    console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
}
void main();
