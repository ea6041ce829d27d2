-- Monitoring, in SQL: does the model still work? Precision and recall per day and per model
-- version, smoothed, with the days that fall off the trend flagged, and the score distribution per
-- day to see drift before labels arrive. Read by `npm run report`, by the monitor function, and by
-- anyone with psql. Plain PostgreSQL (15, 16 on Aurora, and PGlite): no extensions.
--
-- Conventions shared by everything below:
--   * A day is the UTC calendar date of `scored_at`.
--   * Figures are per MODEL VERSION. Shadow rows (a candidate model's scores, role 'shadow') count
--     for their own version, exactly as live rows do: a version scores a pair the same whichever
--     role it plays, so a candidate's precision and recall can be compared with the live one's
--     before it is promoted. `role` says whether the version served clients on that day.
--   * Error rows (score NULL) and rows without a budget or item id are never counted.

-- One step of an exponentially weighted moving average: `alpha` × x + (1 − alpha) × previous.
-- The first non-NULL value seeds the average; a NULL value leaves it as it was (the day is skipped,
-- pandas' `ewm(adjust=False, ignore_na=True)`).
CREATE FUNCTION ewma_step(state double precision, x double precision, alpha double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN x IS NULL THEN state
    WHEN state IS NULL THEN x
    ELSE alpha * x + (1 - alpha) * state
  END
$$;

-- ewma(x, alpha) OVER (PARTITION BY ... ORDER BY day): the running EWMA of x in window order.
CREATE AGGREGATE ewma(double precision, double precision) (
  SFUNC = ewma_step,
  STYPE = double precision
);

-- The median of an array's non-NULL values (NULL for none). `percentile_cont` cannot be a window
-- function, so windows collect their values with array_agg and take the median of the array.
CREATE FUNCTION array_median(xs double precision[])
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(xs) AS x WHERE x IS NOT NULL
$$;

-- The median absolute deviation of an array's non-NULL values: median(|x − median(xs)|).
CREATE FUNCTION array_mad(xs double precision[])
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(x - m))
  FROM unnest(xs) AS x, (SELECT array_median(xs) AS m) AS med
  WHERE x IS NOT NULL
$$;

-- Which labelled pairs each model version got right, once per pair and version: the pair's LATEST
-- scored row by that version (by scored_at; a live row wins a tie with a shadow row), joined with
-- the pair's label. Unlabelled pairs are left out. `decision` is the one the row recorded, at the
-- threshold it recorded (a threshold changed since does not rewrite history); `day` is the day of
-- that latest score, so a pair scored on Monday and again on Wednesday counts once, on Wednesday.
CREATE VIEW pair_outcomes AS
SELECT DISTINCT ON (r.budget_id, r.itemization_id, r.model_version)
  r.budget_id,
  r.itemization_id,
  r.model_version,
  r.role,
  (r.scored_at AT TIME ZONE 'UTC')::date AS day,
  r.scored_at,
  r.score,
  r.threshold,
  r.decision,
  l.is_match,
  CASE
    WHEN r.decision AND l.is_match THEN 'tp'
    WHEN r.decision THEN 'fp'
    WHEN l.is_match THEN 'fn'
    ELSE 'tn'
  END AS outcome
FROM results r
JOIN labels l ON l.budget_id = r.budget_id AND l.itemization_id = r.itemization_id
WHERE r.score IS NOT NULL
ORDER BY r.budget_id, r.itemization_id, r.model_version,
  r.scored_at DESC, (r.role = 'live') DESC, r.recorded_at DESC, r.request_id DESC, r.entry_index DESC;

-- Per day and model version: the confusion counts of pair_outcomes and the figures made of them.
-- precision = tp / (tp + fp), recall = tp / (tp + fn), f1 = 2tp / (2tp + fp + fn); each is NULL
-- where its denominator is 0 (no predicted matches, no true matches), never a division error.
-- support = labelled pairs (tp + fp + fn + tn); positives = true matches among them (tp + fn).
-- role = 'live' when some of the day's pairs were the version's live replies, else 'shadow'.
CREATE VIEW daily_quality AS
SELECT
  c.day, c.model_version, c.role, c.tp, c.fp, c.fn, c.tn, c.tp + c.fp + c.fn + c.tn AS support,
  c.tp + c.fn AS positives,
  c.tp::double precision / NULLIF(c.tp + c.fp, 0) AS precision,
  c.tp::double precision / NULLIF(c.tp + c.fn, 0) AS recall,
  (2 * c.tp)::double precision / NULLIF(2 * c.tp + c.fp + c.fn, 0) AS f1
FROM (
  SELECT
    o.day,
    o.model_version,
    CASE WHEN bool_or(o.role = 'live') THEN 'live' ELSE 'shadow' END AS role,
    count(*) FILTER (WHERE o.outcome = 'tp')::int AS tp,
    count(*) FILTER (WHERE o.outcome = 'fp')::int AS fp,
    count(*) FILTER (WHERE o.outcome = 'fn')::int AS fn,
    count(*) FILTER (WHERE o.outcome = 'tn')::int AS tn
  FROM pair_outcomes o
  GROUP BY o.day, o.model_version
) AS c;

-- daily_quality with its trend, per model version, day by day:
--   * precision_ewma, recall_ewma: EWMA with alpha = 2 / (span + 1), seeded with the version's
--     first day that has a value; a day whose value is NULL (or a day with no labelled pairs,
--     which has no row) is skipped and the average carries over.
--   * precision_median, recall_median: the median of the version's values over the `span`
--     calendar days ending on the day (the day included; NULL values and missing days left out).
--   * precision_baseline / _mad (and recall's): the median and the median absolute deviation
--     (MAD) of the version's values over the `trailing_days` calendar days BEFORE the day (the day
--     itself is not part of its own baseline), and how many values that window holds (_history).
--   * precision_flag, recall_flag: true when the day's value lies outside
--     baseline ± k × greatest(MAD, min_mad), false when inside, NULL when it cannot be judged (no
--     value that day, or fewer than `min_history` values in the trailing window). `min_mad` keeps
--     the band from collapsing: when the trailing days all had the same value (MAD = 0, common at
--     precision 1.0) a raw MAD band would flag any change at all, however small. A value ON the
--     band's edge is inside (1e-9 of slack, so float rounding of e.g. 0.9 − 0.825 cannot flag it).
-- Parameters: span (default 7), trailing_days (14), k (3), min_history (5), min_mad (0.01).
CREATE FUNCTION quality_trend(
  span int DEFAULT 7,
  trailing_days int DEFAULT 14,
  k double precision DEFAULT 3,
  min_history int DEFAULT 5,
  min_mad double precision DEFAULT 0.01
)
RETURNS TABLE (
  day date,
  model_version text,
  role text,
  tp int, fp int, fn int, tn int, support int, positives int,
  "precision" double precision, recall double precision, f1 double precision,
  precision_ewma double precision, recall_ewma double precision,
  precision_median double precision, recall_median double precision,
  precision_baseline double precision, precision_mad double precision, precision_history int,
  recall_baseline double precision, recall_mad double precision, recall_history int,
  precision_flag boolean, recall_flag boolean
)
LANGUAGE sql STABLE AS $$
  WITH windows AS (
    SELECT
      q.*,
      ewma(q.precision, 2.0::double precision / (span + 1)) OVER by_day AS precision_ewma,
      ewma(q.recall, 2.0::double precision / (span + 1)) OVER by_day AS recall_ewma,
      array_agg(q.precision) OVER recent AS precision_recent,
      array_agg(q.recall) OVER recent AS recall_recent,
      array_agg(q.precision) FILTER (WHERE q.precision IS NOT NULL) OVER before_day AS precision_trailing,
      array_agg(q.recall) FILTER (WHERE q.recall IS NOT NULL) OVER before_day AS recall_trailing
    FROM daily_quality q
    WINDOW
      by_day AS (PARTITION BY q.model_version ORDER BY q.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
      recent AS (PARTITION BY q.model_version ORDER BY q.day
        RANGE BETWEEN make_interval(days => span - 1) PRECEDING AND CURRENT ROW),
      before_day AS (PARTITION BY q.model_version ORDER BY q.day
        RANGE BETWEEN make_interval(days => trailing_days) PRECEDING AND '1 day'::interval PRECEDING)
  ),
  baselines AS (
    SELECT
      w.*,
      array_median(w.precision_trailing) AS precision_baseline,
      array_mad(w.precision_trailing) AS precision_mad,
      coalesce(cardinality(w.precision_trailing), 0) AS precision_history,
      array_median(w.recall_trailing) AS recall_baseline,
      array_mad(w.recall_trailing) AS recall_mad,
      coalesce(cardinality(w.recall_trailing), 0) AS recall_history
    FROM windows w
  )
  SELECT
    b.day, b.model_version, b.role, b.tp, b.fp, b.fn, b.tn, b.support, b.positives,
    b.precision, b.recall, b.f1,
    b.precision_ewma, b.recall_ewma,
    array_median(b.precision_recent), array_median(b.recall_recent),
    b.precision_baseline, b.precision_mad, b.precision_history,
    b.recall_baseline, b.recall_mad, b.recall_history,
    CASE WHEN b.precision IS NULL OR b.precision_history < min_history THEN NULL
      ELSE abs(b.precision - b.precision_baseline) > k * greatest(b.precision_mad, min_mad) + 1e-9 END,
    CASE WHEN b.recall IS NULL OR b.recall_history < min_history THEN NULL
      ELSE abs(b.recall - b.recall_baseline) > k * greatest(b.recall_mad, min_mad) + 1e-9 END
  FROM baselines b
  ORDER BY b.model_version, b.day
$$;

-- The distribution of scores per day and model version, to see drift before labels arrive: every
-- scored row counts (each time a pair was scored, labelled or not; live and shadow rows each for
-- their version), in `bins` equal buckets over [0, 1]; a score of exactly 1 falls in the last
-- bucket. Every bucket of a (day, version) that has scores is returned, empty ones with count 0.
-- `share` is the bucket's fraction of that day's scores, comparable across days of any volume.
-- from_day and to_day (inclusive, UTC days) bound the scan; NULL leaves that side open.
CREATE FUNCTION score_histogram(bins int DEFAULT 10, from_day date DEFAULT NULL, to_day date DEFAULT NULL)
RETURNS TABLE (
  day date,
  model_version text,
  bucket int,
  lower_bound double precision,
  upper_bound double precision,
  count int,
  share double precision
)
LANGUAGE sql STABLE AS $$
  WITH scored AS (
    SELECT
      (r.scored_at AT TIME ZONE 'UTC')::date AS day,
      r.model_version,
      least(width_bucket(r.score, 0, 1, bins), bins) AS bucket
    FROM results r
    WHERE r.score IS NOT NULL
      AND (from_day IS NULL OR r.scored_at >= from_day::timestamp AT TIME ZONE 'UTC')
      AND (to_day IS NULL OR r.scored_at < (to_day + 1)::timestamp AT TIME ZONE 'UTC')
  ),
  counts AS (
    SELECT s.day, s.model_version, s.bucket, count(*)::int AS n
    FROM scored s
    GROUP BY s.day, s.model_version, s.bucket
  ),
  totals AS (
    SELECT c.day, c.model_version, sum(c.n)::int AS total
    FROM counts c
    GROUP BY c.day, c.model_version
  )
  SELECT
    t.day,
    t.model_version,
    b AS bucket,
    (b - 1)::double precision / bins AS lower_bound,
    b::double precision / bins AS upper_bound,
    coalesce(c.n, 0) AS count,
    coalesce(c.n, 0)::double precision / t.total AS share
  FROM totals t
  CROSS JOIN generate_series(1, bins) AS b
  LEFT JOIN counts c ON c.day = t.day AND c.model_version = t.model_version AND c.bucket = b
  ORDER BY t.day, t.model_version, b
$$;
