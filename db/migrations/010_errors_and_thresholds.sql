-- Monitoring you can act on: which pairs the model got wrong, with the budget and line item that
-- were sent side by side, and how precision and recall would have moved at other thresholds.
-- Numbered 010 to stay clear of the results schema's own migrations (002, 003, ...): migrations run
-- in file-name order, and nothing here depends on a later one.
--
-- Conventions as in 002_monitoring.sql: a day is the UTC date of `scored_at`; figures are per
-- model version; live and shadow rows count for their own version; other roles (batch) and error
-- rows are never counted.

-- The requests results rows came from, as the service received them (after parsing: the two
-- lists, every field as the client sent it), kept so a pair can be explained later. One row per
-- request, linked to `results` by request_id. Filled by `npm run captures -- load` from the
-- capture store (`.data/captures/<day>/` locally, the captures bucket in AWS), which is where
-- captures are written off the reply path; this table is the SQL-side copy. Personal data: see
-- docs/results-and-monitoring.md (what is kept, for how long, how to delete one user's).
CREATE TABLE captures (
  request_id  text        PRIMARY KEY,
  captured_at timestamptz NOT NULL,
  -- {"budgets": [...], "all_user_expense_lineitems": [...]}
  request     jsonb       NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX captures_captured_at_idx ON captures (captured_at);

-- The first element of a JSON array whose `key` field, read as text, equals `id` (ids arrive as
-- strings or numbers; results keep them as text). NULL when there is none.
CREATE FUNCTION json_element_by_id(elements jsonb, key text, id text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT e FROM jsonb_array_elements(CASE WHEN jsonb_typeof(elements) = 'array' THEN elements ELSE '[]'::jsonb END) AS e
  WHERE jsonb_typeof(e) = 'object' AND e ->> key = id
  LIMIT 1
$$;

-- Every false positive and false negative, once per labelled pair and model version, at the
-- pair's LATEST score by that version (the row pair_outcomes counts), with the request it came
-- from and, when that request was captured, the budget's and the line item's fields side by side
-- (NULL when not captured: `captured` says which). `margin` = |score − threshold|: the most
-- confident mistakes have the largest margin, so `ORDER BY margin DESC` lists the worst first.
--   SELECT * FROM pair_errors WHERE day >= current_date - 7 ORDER BY margin DESC LIMIT 20;
CREATE VIEW pair_errors AS
WITH latest AS (
  SELECT DISTINCT ON (r.budget_id, r.itemization_id, r.model_version)
    r.request_id, r.entry_index, r.budget_id, r.itemization_id, r.model_version, r.role,
    r.scored_at, r.score, r.threshold, r.decision,
    l.is_match, l.labelled_at, l.source AS label_source
  FROM results r
  JOIN labels l ON l.budget_id = r.budget_id AND l.itemization_id = r.itemization_id
  WHERE r.score IS NOT NULL AND r.role IN ('live', 'shadow')
  ORDER BY r.budget_id, r.itemization_id, r.model_version,
    r.scored_at DESC, (r.role = 'live') DESC, r.recorded_at DESC, r.request_id DESC, r.entry_index DESC
)
SELECT
  (o.scored_at AT TIME ZONE 'UTC')::date AS day,
  o.model_version,
  o.role,
  CASE WHEN o.decision THEN 'fp' ELSE 'fn' END AS outcome,
  o.score,
  o.threshold,
  abs(o.score - o.threshold) AS margin,
  o.budget_id,
  o.itemization_id,
  o.request_id,
  o.entry_index,
  o.scored_at,
  o.labelled_at,
  o.label_source,
  c.request_id IS NOT NULL AS captured,
  b ->> 'budget_type_budget' AS budget_type,
  b ->> 'budget_price_budget' AS budget_price,
  b ->> 'actual_cost_budget' AS actual_cost,
  b ->> 'travel_vendor_receipts' AS travel_vendor,
  b ->> 'purchase_vendor_receipts' AS purchase_vendor,
  b ->> 'generated_at_budget' AS budget_generated_at,
  b ->> 'start_datetime_trips' AS trip_start,
  b ->> 'end_datetime_trips' AS trip_end,
  i ->> 'expensed_amount_itemization' AS item_amount,
  i ->> 'transaction_date_itemization' AS item_date,
  i ->> 'vendor_name_expense' AS item_vendor,
  i ->> 'expense_type_name_itemization' AS item_type,
  i ->> 'expense_category_itemization' AS item_category,
  i ->> 'expense_type_name_expense' AS expense_type,
  i ->> 'expense_category_expense' AS expense_category
FROM latest o
LEFT JOIN captures c ON c.request_id = o.request_id
LEFT JOIN LATERAL json_element_by_id(c.request -> 'budgets', 'budget_id', o.budget_id) AS b ON true
LEFT JOIN LATERAL json_element_by_id(c.request -> 'all_user_expense_lineitems', 'itemization_id', o.itemization_id) AS i ON true
WHERE o.decision <> o.is_match;

-- Precision, recall and F1 of each model version's labelled pairs of [from_day, to_day] (inclusive
-- UTC days of the pair's latest score, as pair_outcomes counts them; NULL leaves a side open), had
-- the threshold been t, for t = 0, 1/steps, 2/steps, …, 1: a pair is a predicted match when
-- score ≥ t, exactly as the service decides. One row per version and threshold. `role` is 'live'
-- when some of the version's pairs in the range were live replies, else 'shadow'.
-- precision is NULL where nothing is predicted a match, recall where nothing is a true match.
CREATE FUNCTION threshold_curve(from_day date DEFAULT NULL, to_day date DEFAULT NULL, steps int DEFAULT 100)
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
      -- The largest k with k / steps <= score, exactly (floor(score × steps) alone can land one
      -- below when the product rounds down, e.g. 0.29 × 100 = 28.999…).
      floor(o.score * steps)::int AS k0
    FROM pair_outcomes o
    WHERE (from_day IS NULL OR o.day >= from_day) AND (to_day IS NULL OR o.day <= to_day)
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
  -- Pairs at or above threshold k / steps: the counts of bucket k and every bucket above it.
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
