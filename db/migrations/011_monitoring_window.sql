-- The report's error section and threshold what-if, fast on a large results table.
--
-- EXPLAIN ANALYZE on 1,000,000 result rows (PGlite, bench/monitoring.ts) showed where the time
-- went: pair_outcomes, the latest score of each labelled pair per version, is computed over the
-- WHOLE table (a sequential scan of every row, a hash join with labels, a sort that spilled to
-- disk) and only then filtered to the report's days; threshold_curve, the what-if's own-threshold
-- counts and pair_errors each did that again; and pair_errors looked up the captured budget and
-- line item (JSON) for every error before keeping the top N.
--
-- pair_outcomes_between(from_day, to_day) reads only the rows scored on or after from_day (the
-- index on scored_at), which gives exactly pair_outcomes restricted to the days: a pair belongs
-- to [from_day, to_day] when its LATEST score does; if that latest score is on or after from_day,
-- it is also the latest among the pair's rows on or after from_day, and if it is before, the pair
-- has no such row and is rightly left out. Rows after to_day are read too (a pair scored again
-- later belongs to the later day, as in pair_outcomes) and the pairs whose latest day is after
-- to_day are then dropped. So the work follows the report's window, not the table's age.

CREATE FUNCTION pair_outcomes_between(from_day date DEFAULT NULL, to_day date DEFAULT NULL)
RETURNS TABLE (
  budget_id text,
  itemization_id text,
  model_version text,
  role text,
  day date,
  scored_at timestamptz,
  score double precision,
  threshold double precision,
  decision boolean,
  is_match boolean,
  outcome text,
  request_id text,
  entry_index int,
  labelled_at timestamptz,
  label_source text
)
LANGUAGE sql STABLE AS $$
  SELECT * FROM (
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
      END AS outcome,
      r.request_id,
      r.entry_index,
      l.labelled_at,
      l.source AS label_source
    FROM results r
    JOIN labels l ON l.budget_id = r.budget_id AND l.itemization_id = r.itemization_id
    WHERE r.score IS NOT NULL AND r.role IN ('live', 'shadow')
      AND r.scored_at >= coalesce(from_day::timestamp AT TIME ZONE 'UTC', '-infinity'::timestamptz)
    ORDER BY r.budget_id, r.itemization_id, r.model_version,
      r.scored_at DESC, (r.role = 'live') DESC, r.recorded_at DESC, r.request_id DESC, r.entry_index DESC
  ) o
  WHERE to_day IS NULL OR o.day <= to_day
$$;

-- The top `top` false positives and false negatives of [from_day, to_day] per model version
-- (optionally one version, one outcome 'fp' or 'fn'), most confident mistake first: the rows of
-- pair_errors, ranked before the captured request is looked up, so the JSON of a request is read
-- for the rows listed only. `rank` is the row's place in its version and outcome.
CREATE FUNCTION pair_errors_top(
  from_day date DEFAULT NULL,
  to_day date DEFAULT NULL,
  top int DEFAULT 20,
  version text DEFAULT NULL,
  kind text DEFAULT NULL
)
RETURNS TABLE (
  rank bigint,
  day date,
  model_version text,
  role text,
  outcome text,
  score double precision,
  threshold double precision,
  margin double precision,
  budget_id text,
  itemization_id text,
  request_id text,
  entry_index int,
  scored_at timestamptz,
  labelled_at timestamptz,
  label_source text,
  captured boolean,
  budget_type text,
  budget_price text,
  actual_cost text,
  travel_vendor text,
  purchase_vendor text,
  budget_generated_at text,
  trip_start text,
  trip_end text,
  item_amount text,
  item_date text,
  item_vendor text,
  item_type text,
  item_category text,
  expense_type text,
  expense_category text
)
LANGUAGE sql STABLE AS $$
  WITH ranked AS (
    SELECT e.*, row_number() OVER (PARTITION BY e.model_version, e.outcome
      ORDER BY e.margin DESC, e.budget_id, e.itemization_id) AS rank
    FROM (
      SELECT o.*, abs(o.score - o.threshold) AS margin
      FROM pair_outcomes_between(from_day, to_day) o
      WHERE o.outcome IN ('fp', 'fn')
        AND (version IS NULL OR o.model_version = version)
        AND (kind IS NULL OR o.outcome = kind)
    ) e
  ),
  listed AS (
    SELECT * FROM ranked WHERE ranked.rank <= top
  )
  SELECT
    o.rank, o.day, o.model_version, o.role, o.outcome, o.score, o.threshold, o.margin,
    o.budget_id, o.itemization_id, o.request_id, o.entry_index, o.scored_at, o.labelled_at,
    o.label_source,
    c.request_id IS NOT NULL,
    b ->> 'budget_type_budget',
    b ->> 'budget_price_budget',
    b ->> 'actual_cost_budget',
    b ->> 'travel_vendor_receipts',
    b ->> 'purchase_vendor_receipts',
    b ->> 'generated_at_budget',
    b ->> 'start_datetime_trips',
    b ->> 'end_datetime_trips',
    i ->> 'expensed_amount_itemization',
    i ->> 'transaction_date_itemization',
    i ->> 'vendor_name_expense',
    i ->> 'expense_type_name_itemization',
    i ->> 'expense_category_itemization',
    i ->> 'expense_type_name_expense',
    i ->> 'expense_category_expense'
  FROM listed o
  LEFT JOIN captures c ON c.request_id = o.request_id
  LEFT JOIN LATERAL json_element_by_id(c.request -> 'budgets', 'budget_id', o.budget_id) AS b ON true
  LEFT JOIN LATERAL json_element_by_id(c.request -> 'all_user_expense_lineitems', 'itemization_id', o.itemization_id) AS i ON true
  ORDER BY o.model_version, o.outcome DESC, o.rank
$$;

-- threshold_curve as in 010, over the window's pairs only (same signature and rows).
CREATE OR REPLACE FUNCTION threshold_curve(from_day date DEFAULT NULL, to_day date DEFAULT NULL, steps int DEFAULT 100)
RETURNS TABLE (
  model_version text,
  role text,
  threshold double precision,
  tp int, fp int, fn int, tn int,
  "precision" double precision, recall double precision, f1 double precision
)
LANGUAGE sql STABLE AS $$
  WITH outcomes AS (
    SELECT o.model_version, o.role, o.score, o.is_match,
      floor(o.score * steps)::int AS k0
    FROM pair_outcomes_between(from_day, to_day) o
  ),
  bucketed AS (
    SELECT model_version, role, is_match,
      CASE
        WHEN (k0 + 1)::double precision / steps <= score THEN k0 + 1
        WHEN k0::double precision / steps > score THEN k0 - 1
        ELSE k0
      END AS k
    FROM outcomes
  ),
  counts AS (
    SELECT model_version, k,
      count(*) FILTER (WHERE is_match)::int AS pos,
      count(*) FILTER (WHERE NOT is_match)::int AS neg
    FROM bucketed
    GROUP BY model_version, k
  ),
  versions AS (
    SELECT model_version,
      CASE WHEN bool_or(role = 'live') THEN 'live' ELSE 'shadow' END AS role,
      count(*) FILTER (WHERE is_match)::int AS positives,
      count(*) FILTER (WHERE NOT is_match)::int AS negatives
    FROM outcomes
    GROUP BY model_version
  ),
  grid AS (
    SELECT v.model_version, v.role, v.positives, v.negatives, g AS k,
      coalesce(c.pos, 0) AS pos, coalesce(c.neg, 0) AS neg
    FROM versions v
    CROSS JOIN generate_series(0, steps) AS g
    LEFT JOIN counts c ON c.model_version = v.model_version AND c.k = g
  ),
  above AS (
    SELECT g.model_version, g.role, g.positives, g.negatives, g.k,
      (sum(g.pos) OVER at_or_above)::int AS tp,
      (sum(g.neg) OVER at_or_above)::int AS fp
    FROM grid g
    WINDOW at_or_above AS (PARTITION BY g.model_version ORDER BY g.k DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  )
  SELECT a.model_version, a.role, a.k::double precision / steps,
    a.tp, a.fp, a.positives - a.tp, a.negatives - a.fp,
    a.tp::double precision / NULLIF(a.tp + a.fp, 0),
    a.tp::double precision / NULLIF(a.positives, 0),
    (2 * a.tp)::double precision / NULLIF(a.tp + a.fp + a.positives, 0)
  FROM above a
  ORDER BY a.model_version, a.k
$$;
