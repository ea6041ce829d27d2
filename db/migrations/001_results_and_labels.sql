-- Every score the service returned (and every shadow score it recorded), and the labels that say
-- which pairs really match. Applied once, in file-name order, by `npm run db:migrate`, by
-- `npm start` and by the writer and monitor functions on first use; recorded in schema_migrations.

CREATE TABLE results (
  -- The request that produced the row (Lambda's awsRequestId, or a UUID locally).
  request_id     text             NOT NULL,
  -- The entry's position in the reply: with request_id and role it identifies the row, so a
  -- redelivered batch inserts nothing twice (INSERT ... ON CONFLICT DO NOTHING).
  entry_index    integer          NOT NULL CHECK (entry_index >= 0),
  -- 'live': the score the client received; 'shadow': a candidate model's score of the same pair.
  role           text             NOT NULL CHECK (role IN ('live', 'shadow')),
  -- NULL only on an error row for a budget or item that had no usable id.
  budget_id      text,
  itemization_id text,
  -- NULL when the pair was not scored (error_code says why).
  score          double precision CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
  -- score >= threshold; NULL when unscored.
  decision       boolean,
  threshold      double precision NOT NULL,
  model_version  text             NOT NULL,
  error_code     text,
  scored_at      timestamptz      NOT NULL,
  recorded_at    timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, role, entry_index),
  CHECK ((score IS NULL) = (decision IS NULL)),
  CHECK ((score IS NULL) <> (error_code IS NULL))
);

-- The latest score of a pair by one model version (monitoring joins labels on the pair).
CREATE INDEX results_pair_version_idx
  ON results (budget_id, itemization_id, model_version, scored_at DESC)
  WHERE score IS NOT NULL;
-- Day ranges: score histograms and per-day precision/recall.
CREATE INDEX results_scored_at_idx ON results (scored_at);

CREATE TABLE labels (
  budget_id      text        NOT NULL,
  itemization_id text        NOT NULL,
  is_match       boolean     NOT NULL,
  labelled_at    timestamptz NOT NULL DEFAULT now(),
  -- Where the label came from: 'api' (POST /feedback), 'file:<name>' (bulk load), ...
  source         text        NOT NULL,
  PRIMARY KEY (budget_id, itemization_id)
);
