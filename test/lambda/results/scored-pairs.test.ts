import fc from 'fast-check';
import { parseRequest } from '../../../lambda/contract';
import { assembleReply, scoredSides } from '../../../lambda/matcher/match-request';
import { appendPairs, appendRows, emptyColumns, pairsRowCount, toResultRows } from '../../../lambda/results';
import { loadRequest } from '../../helpers/events';

/**
 * A request's rows kept as pairs (budgets × items, what the local journal stores) expand into
 * exactly the rows the reply entries make: same order, ids, scores, decisions and error rows.
 */
describe('appendPairs', () => {
  const run = {
    requestId: 'req-1',
    modelVersion: 'v1',
    threshold: 0.5,
    scoredAt: new Date('2026-01-02T03:04:05Z'),
  };

  function both(request: unknown, raw: Float32Array, role: 'live' | 'shadow' = 'live') {
    const parsed = parseRequest(request);
    const rows = appendRows(
      emptyColumns(),
      toResultRows(assembleReply(parsed, raw, run.threshold), { ...run, role }),
    );
    const sides = scoredSides(parsed, raw);
    const pairs = {
      request_id: run.requestId,
      role,
      model_version: run.modelVersion,
      threshold: run.threshold,
      scored_at: run.scoredAt.toISOString(),
      ...sides,
    };
    return { rows, fromPairs: appendPairs(emptyColumns(), pairs), count: pairsRowCount(pairs) };
  }

  it('gives the rows of the reply entries for any mix of usable and unusable budgets and items', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 6 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 48, maxLength: 48 }),
        fc.constantFrom('live' as const, 'shadow' as const),
        (budgetsOk, itemsOk, scores, role) => {
          const request = {
            budgets: budgetsOk.map((ok, i) =>
              ok ? { budget_id: `b${i}` } : { budget_type_budget: 'flight' },
            ),
            all_user_expense_lineitems: itemsOk.map((ok, i) => (ok ? { itemization_id: 700 + i } : {})),
          };
          const good = budgetsOk.filter(Boolean).length * itemsOk.filter(Boolean).length;
          const { rows, fromPairs, count } = both(request, Float32Array.from(scores.slice(0, good)), role);
          expect(fromPairs).toEqual(rows);
          expect(count).toBe(rows.request_id.length);
        },
      ),
    );
  });

  it('keeps a score exactly at the threshold a match, as the reply does', () => {
    const request = loadRequest('seed-request');

    const { rows, fromPairs } = both(request, Float32Array.of(0.5));

    expect(fromPairs).toEqual(rows);
    expect(fromPairs.decision).toEqual([true]);
  });
});
