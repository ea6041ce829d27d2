import type { Queryable } from '../db';
import type { LabelRow } from './label-row';

// Same one-statement shape as write-results.ts (one array parameter a column). The WHERE on the
// update keeps the newer label: a redelivered or late older label never overwrites a newer one.
const UPSERT_LABELS = `
WITH written AS (
  INSERT INTO labels (budget_id, itemization_id, is_match, labelled_at, source)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bool[], $4::timestamptz[], $5::text[])
  ON CONFLICT (budget_id, itemization_id) DO UPDATE
    SET is_match = EXCLUDED.is_match, labelled_at = EXCLUDED.labelled_at, source = EXCLUDED.source
    WHERE labels.labelled_at <= EXCLUDED.labelled_at
  RETURNING 1
)
SELECT count(*)::int AS written FROM written`;

/**
 * Upserts labels in one statement: for each (budget, item) pair the label with the latest
 * `labelled_at` wins, within the batch and against what is stored (a tie goes to the later
 * label). Returns how many labels were inserted or replaced.
 */
export async function writeLabels(db: Queryable, labels: readonly LabelRow[]): Promise<number> {
  const latest = latestPerPair(labels);
  if (latest.length === 0) return 0;
  const { rows } = await db.query<{ written: number }>(UPSERT_LABELS, [
    latest.map((l) => l.budget_id),
    latest.map((l) => l.itemization_id),
    latest.map((l) => l.is_match),
    latest.map((l) => l.labelled_at),
    latest.map((l) => l.source),
  ]);
  return rows[0]?.written ?? 0;
}

/** One label per pair, the latest (PostgreSQL refuses to update one row twice in a statement). */
function latestPerPair(labels: readonly LabelRow[]): LabelRow[] {
  const byPair = new Map<string, LabelRow>();
  for (const label of labels) {
    const key = JSON.stringify([label.budget_id, label.itemization_id]);
    const kept = byPair.get(key);
    if (!kept || Date.parse(kept.labelled_at) <= Date.parse(label.labelled_at)) byPair.set(key, label);
  }
  return [...byPair.values()];
}
