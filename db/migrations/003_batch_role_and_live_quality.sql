-- A third role, and pooled live figures that count each pair once.
--
-- * role 'batch': scores computed for a caller's offline batch job (not a reply a user saw, not a
--   candidate model's shadow). Batch rows are stored like the others but no monitoring view or
--   function counts them: pair_outcomes (and so daily_quality, quality_trend) and score_histogram
--   now read live and shadow rows only.
-- * live_daily_quality: what clients received, pooled over the versions that served live. Each
--   labelled pair counts ONCE, at its latest LIVE score (whatever version gave it), on the day of
--   that score; shadow and batch rows are never counted. Summing daily_quality's live rows instead
--   counts a pair twice on a promotion day (once per live version) and counts shadow pairs of a
--   version that also served live that day.

ALTER TABLE results DROP CONSTRAINT results_role_check;
ALTER TABLE results ADD CONSTRAINT results_role_check CHECK (role IN ('live', 'shadow', 'batch'));

CREATE OR REPLACE VIEW pair_outcomes AS
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
WHERE r.score IS NOT NULL AND r.role IN ('live', 'shadow')
ORDER BY r.budget_id, r.itemization_id, r.model_version,
  r.scored_at DESC, (r.role = 'live') DESC, r.recorded_at DESC, r.request_id DESC, r.entry_index DESC;

CREATE VIEW live_daily_quality AS
WITH latest_live AS (
  SELECT DISTINCT ON (r.budget_id, r.itemization_id)
    r.budget_id, r.itemization_id, r.model_version, (r.scored_at AT TIME ZONE 'UTC')::date AS day, r.decision
  FROM results r
  JOIN labels l ON l.budget_id = r.budget_id AND l.itemization_id = r.itemization_id
  WHERE r.score IS NOT NULL AND r.role = 'live'
  ORDER BY r.budget_id, r.itemization_id,
    r.scored_at DESC, r.recorded_at DESC, r.request_id DESC, r.entry_index DESC
),
counts AS (
  SELECT
    p.day,
    array_agg(DISTINCT p.model_version ORDER BY p.model_version) AS model_versions,
    count(*) FILTER (WHERE p.decision AND l.is_match)::int AS tp,
    count(*) FILTER (WHERE p.decision AND NOT l.is_match)::int AS fp,
    count(*) FILTER (WHERE NOT p.decision AND l.is_match)::int AS fn,
    count(*) FILTER (WHERE NOT p.decision AND NOT l.is_match)::int AS tn
  FROM latest_live p
  JOIN labels l ON l.budget_id = p.budget_id AND l.itemization_id = p.itemization_id
  GROUP BY p.day
)
SELECT
  c.day, c.model_versions, c.tp, c.fp, c.fn, c.tn, c.tp + c.fp + c.fn + c.tn AS support,
  c.tp + c.fn AS positives,
  c.tp::double precision / NULLIF(c.tp + c.fp, 0) AS precision,
  c.tp::double precision / NULLIF(c.tp + c.fn, 0) AS recall,
  (2 * c.tp)::double precision / NULLIF(2 * c.tp + c.fp + c.fn, 0) AS f1
FROM counts c;

-- score_histogram as before, live and shadow rows only.
CREATE OR REPLACE FUNCTION score_histogram(bins int DEFAULT 10, from_day date DEFAULT NULL, to_day date DEFAULT NULL)
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
    WHERE r.score IS NOT NULL AND r.role IN ('live', 'shadow')
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
