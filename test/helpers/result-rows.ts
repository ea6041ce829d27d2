import type { LabelRow, ResultRow } from '../../lambda/results';

/** `count` scored rows of one request, entry_index 0..count-1, as the handler would record them. */
export function resultRows(
  count: number,
  requestId = 'req-1',
  overrides: Partial<ResultRow> = {},
): ResultRow[] {
  return Array.from({ length: count }, (_, i) => ({
    request_id: requestId,
    entry_index: i,
    budget_id: `b${i % 7}`,
    itemization_id: `i${i}`,
    score: (i % 100) / 100,
    decision: i % 100 >= 50,
    threshold: 0.5,
    model_version: '2026-11-23T084617Z',
    role: 'live' as const,
    error_code: null,
    scored_at: '2026-11-23T10:00:00.000Z',
    ...overrides,
  }));
}

/** A label for the pair (`budget`, `item`). */
export function label(budget: string, item: string, isMatch: boolean, at: string, source = 'test'): LabelRow {
  return { budget_id: budget, itemization_id: item, is_match: isMatch, labelled_at: at, source };
}
