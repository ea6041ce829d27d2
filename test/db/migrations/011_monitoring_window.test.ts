import { monitoringTargets, type TestDatabase } from '../../helpers/monitoring-database';

/**
 * pair_outcomes_between(from, to) (011_monitoring_window.sql) reads only the rows scored from
 * `from` on, and must give exactly the view pair_outcomes filtered to the days: each labelled pair
 * once per version at its LATEST score, counted on that score's day. The data has pairs scored
 * before a window and again in it, in it and again after it, twice on one day (live and shadow),
 * and across UTC midnight, so a shortcut that is not exact shows.
 */
describe.each(monitoringTargets())('pair_outcomes_between on %s', (_name, open) => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await open('pair_outcomes_between');
    // 300 pairs, each scored twice by one version at pseudo-random times over 2025-03-01 … 2025-03-10
    // (fixed), a third of them by the shadow role; about half the pairs labelled.
    await target.db.exec(`
      INSERT INTO results (request_id, entry_index, role, budget_id, itemization_id, score, decision,
        threshold, model_version, scored_at)
      SELECT 'r' || g, 0, CASE WHEN g % 3 = 0 THEN 'shadow' ELSE 'live' END,
        'b' || (g % 25), 'i' || ((g / 25) % 12), ((g * 7919) % 1000) / 1000.0, ((g * 7919) % 1000) / 1000.0 >= 0.5, 0.5,
        CASE WHEN g % 2 = 0 THEN 'v1' ELSE 'v2' END,
        timestamptz '2025-03-01 00:00:00+00' + ((g * 104729) % 864000) * interval '1 second'
      FROM generate_series(0, 599) g;
      INSERT INTO labels (budget_id, itemization_id, is_match, source)
      SELECT DISTINCT budget_id, itemization_id, (hashtext(budget_id || itemization_id) % 3) = 0, 'test'
      FROM results WHERE (hashtext(budget_id || itemization_id) % 2) = 0;`);
  });
  afterAll(() => target.dispose());

  const windows: [string | null, string | null][] = [
    [null, null],
    ['2025-03-01', '2025-03-10'],
    ['2025-03-04', null],
    [null, '2025-03-06'],
    ['2025-03-03', '2025-03-07'],
    ['2025-03-05', '2025-03-05'],
    ['2025-03-11', null],
  ];

  it.each(windows)('from %s to %s: the rows of pair_outcomes on those days, exactly', async (from, to) => {
    const columns =
      'budget_id, itemization_id, model_version, role, day, scored_at, score, threshold, decision, is_match, outcome';
    const view = await target.db.query(
      `SELECT ${columns} FROM pair_outcomes
       WHERE ($1::date IS NULL OR day >= $1::date) AND ($2::date IS NULL OR day <= $2::date)
       ORDER BY budget_id, itemization_id, model_version`,
      [from, to],
    );

    const fast = await target.db.query(
      `SELECT ${columns} FROM pair_outcomes_between($1::date, $2::date) ORDER BY budget_id, itemization_id, model_version`,
      [from, to],
    );

    expect(fast.rows).toEqual(view.rows);
    if (from !== '2025-03-11') expect(view.rows.length).toBeGreaterThan(0);
  });
});
