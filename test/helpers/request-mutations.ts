import fc from 'fast-check';
import type { ReplyEntry } from '../../lambda/contract';
import type { SampleRequest } from './events';

/** Which list a corrupted entry is in, as the request names it. */
export type ListName = 'budgets' | 'all_user_expense_lineitems';

/** One entry of a valid request corrupted: its list, its position and what it becomes. */
export interface Corruption {
  readonly list: ListName;
  readonly index: number;
  readonly entry: unknown;
}

const ID_FIELD: Record<ListName, string> = {
  budgets: 'budget_id',
  all_user_expense_lineitems: 'itemization_id',
};

/** An id value that does not name another entry of the request (a collision is a different test). */
const foreignId = (taken: Set<string>) => fc.anything().filter((v) => !taken.has(asText(v).trim()));

/** `String(v)`, or '' for a value that has no string form (an object without a prototype). */
function asText(v: unknown): string {
  try {
    return String(v);
  } catch {
    return '';
  }
}

/**
 * Arbitrary corruptions of one entry of `request`: a field set to anything (or a field added),
 * a field removed, the id replaced, or the whole entry replaced by anything.
 */
export function corruption(request: SampleRequest): fc.Arbitrary<Corruption> {
  const lists: ListName[] = ['budgets', 'all_user_expense_lineitems'];
  return fc
    .constantFrom(...lists)
    .chain((list) => fc.tuple(fc.constant(list), fc.nat(request[list].length - 1)))
    .chain(([list, index]) => {
      const original = request[list][index] as Record<string, unknown>;
      const keys = Object.keys(original);
      const taken = new Set(request[list].map((e) => String(e[ID_FIELD[list]]).trim()));
      const idField = ID_FIELD[list];
      return fc.record({
        list: fc.constant(list),
        index: fc.constant(index),
        entry: fc.oneof(
          fc
            .tuple(
              fc.oneof(fc.constantFrom(...keys.filter((k) => k !== idField)), fc.string()),
              fc.anything(),
            )
            .filter(([key]) => key !== idField)
            .map(([key, value]) => ({ ...original, [key]: value })),
          fc.constantFrom(...keys).map((key) => {
            const copy = { ...original };
            delete copy[key];
            return copy;
          }),
          foreignId(taken).map((id) => ({ ...original, [idField]: id })),
          fc.anything(),
        ),
      });
    });
}

/** The request with the corrupted entry in place, and the same request without that entry. */
export function corruptedRequest(
  request: SampleRequest,
  c: Corruption,
): { mixed: SampleRequest; clean: SampleRequest } {
  const mixed = structuredClone(request);
  const clean = structuredClone(request);
  (mixed[c.list] as unknown[])[c.index] = c.entry;
  clean[c.list].splice(c.index, 1);
  return { mixed, clean };
}

const pairKey = (e: ReplyEntry) => `${e.budget_id}\u0000${e.itemization_id}`;

/**
 * What every reply to a request with one corrupted entry must be: a list whose entries are each
 * a score finite in [0, 1] or an error; every pair of the clean request exactly once, in order
 * (with the score it has without the corrupted entry when that entry has no usable id and takes
 * part in nothing); and the corrupted entry either once by its position (no usable id) or once
 * per entry of the other list.
 */
export function expectReplyAgainstClean(
  c: Corruption,
  mixed: ReplyEntry[],
  clean: ReplyEntry[],
  request: SampleRequest,
): void {
  expect(Array.isArray(mixed)).toBe(true);
  for (const entry of mixed) {
    if (entry.score === null) {
      expect(entry.error).toEqual(
        expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
      );
    } else {
      expect(Number.isFinite(entry.score)).toBe(true);
      expect(entry.score).toBeGreaterThanOrEqual(0);
      expect(entry.score).toBeLessThanOrEqual(1);
      expect(typeof entry.match).toBe('boolean');
    }
  }
  const cleanKeys = new Set(clean.map(pairKey));
  const others = mixed.filter((e) => cleanKeys.has(pairKey(e)));
  const own = mixed.filter((e) => !cleanKeys.has(pairKey(e)));
  const indexField = c.list === 'budgets' ? 'budget_index' : 'itemization_index';
  if (own.length === 1 && (own[0] as Record<string, unknown> | undefined)?.[indexField] !== undefined) {
    // Dropped (no usable id): it takes part in nothing, so every other pair is exactly as without it.
    expect(others).toEqual(clean);
    expect(own[0]).toEqual(expect.objectContaining({ [indexField]: c.index, score: null }));
    return;
  }
  // A scored budget is one more budget each item is compared with (the evidence margin), a scored
  // item one more line item each budget's items are compared with (the reciprocal stage,
  // docs/models.md): the other pairs are all there, in order, each scored or an error entry.
  expect(others.map(pairKey)).toEqual(clean.map(pairKey));
  const otherList: ListName = c.list === 'budgets' ? 'all_user_expense_lineitems' : 'budgets';
  const ownIdField = c.list === 'budgets' ? 'budget_id' : 'itemization_id';
  const otherIdField = c.list === 'budgets' ? 'itemization_id' : 'budget_id';
  expect(own).toHaveLength(request[otherList].length);
  expect(new Set(own.map((e) => e[ownIdField])).size).toBe(1);
  expect(new Set(own.map((e) => e[otherIdField])).size).toBe(request[otherList].length);
}
