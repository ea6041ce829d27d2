import fc from 'fast-check';
import {
  type ChunkLimits,
  MatcherClientError,
  mergeReplies,
  planChunks,
  type ReplyEntry,
} from '../../../../clients/typescript/src';
import { parseRequest } from '../../../../lambda/contract';
import { FEATURE_COUNT } from '../../../../lambda/features/feature-spec';
import { matchRequest } from '../../../../lambda/matcher';
import { loadRequest } from '../../../helpers/events';

/**
 * A model whose score is a function of the pair's own features only, so a pair scores the same
 * whichever chunk it travels in (the real model does too), and different pairs score differently.
 */
const scorer = {
  threshold: 0.5,
  score(features: Float32Array, pairs: number): Float32Array {
    const out = new Float32Array(pairs);
    for (let p = 0; p < pairs; p++) {
      let h = 0;
      for (let f = 0; f < FEATURE_COUNT; f++)
        h = (h * 31 + (features[p * FEATURE_COUNT + f] ?? 0) * 1000) % 9973;
      out[p] = Math.abs(h) / 9973;
    }
    return out;
  },
};

const UNLIMITED = { maxBodyBytes: Number.MAX_SAFE_INTEGER, maxPairs: Number.MAX_SAFE_INTEGER };

/** What the service answers to one call, through the real contract parser and reply assembly. */
function serve(body: string): ReplyEntry[] {
  return JSON.parse(JSON.stringify(matchRequest(parseRequest(JSON.parse(body), UNLIMITED), scorer)));
}

/** Sends `request` as the client plans it, checking every chunk against `limits`. */
function scoreSplit(request: unknown, limits: ChunkLimits): { reply: ReplyEntry[]; calls: number } {
  const plan = planChunks(request, limits);
  if (plan.kind === 'whole') return { reply: serve(plan.body), calls: 1 };
  for (const chunk of plan.chunks) {
    const sent = JSON.parse(chunk.body) as { budgets: unknown[]; all_user_expense_lineitems: unknown[] };
    const b = sent.budgets.length;
    const i = sent.all_user_expense_lineitems.length;
    expect(Buffer.byteLength(chunk.body)).toBeLessThanOrEqual(limits.maxRequestBytes);
    expect(b * i + b + i).toBeLessThanOrEqual(limits.maxEntries);
    expect(Buffer.byteLength(JSON.stringify(serve(chunk.body)))).toBeLessThanOrEqual(limits.maxReplyBytes);
  }
  const replies = plan.chunks.map((chunk) => serve(chunk.body));
  return { reply: mergeReplies(plan.budgetGroups, plan.chunks, replies), calls: plan.chunks.length };
}

const id = fc.oneof(fc.integer({ min: 1, max: 99_999_999 }), fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/));
// Ids the service refuses: each becomes one error entry naming its index.
const badId = fc.constantFrom(undefined, null, '', '   ', { nested: 1 }, [], 1.5, 'nul\u0000');
const text = fc.string({ maxLength: 30 });
const budget = fc.oneof(
  { weight: 6, arbitrary: fc.record({ budget_id: id, budget_type_budget: text, actual_cost_budget: text }) },
  { weight: 1, arbitrary: fc.record({ budget_id: badId, budget_type_budget: text }) },
  { weight: 1, arbitrary: fc.constantFrom('a string', 7, null) },
);
const item = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      itemization_id: id,
      vendor_name_expense: text,
      expensed_amount_itemization: text,
    }),
  },
  { weight: 1, arbitrary: fc.record({ itemization_id: badId }) },
  { weight: 1, arbitrary: fc.constantFrom([], 'x') },
);
const limits = fc.record({
  maxRequestBytes: fc.integer({ min: 700, max: 4000 }),
  maxEntries: fc.integer({ min: 12, max: 120 }),
  maxReplyBytes: fc.integer({ min: 1500, max: 8000 }),
});

describe('planChunks and mergeReplies', () => {
  it('give exactly the reply of one call, whatever is split and whatever is bad', () => {
    let splitRuns = 0;
    fc.assert(
      fc.property(
        fc.array(budget, { maxLength: 12 }),
        fc.array(item, { maxLength: 40 }),
        limits,
        (budgets, items, lim) => {
          const request = { budgets, all_user_expense_lineitems: items };
          const whole = serve(JSON.stringify(request));

          let split: ReturnType<typeof scoreSplit>;
          try {
            split = scoreSplit(request, lim);
          } catch (error) {
            // Only a single budget or item too large for any chunk may refuse to split.
            expect(error).toBeInstanceOf(MatcherClientError);
            expect((error as MatcherClientError).code).toBe('entry_too_large');
            return;
          }

          if (split.calls > 1) splitRuns++;
          const plan = planChunks(request, lim);
          if (plan.kind === 'split' && plan.budgetGroups.length > 1) {
            // Budgets split too (they alone are over half a limit): each call compares an item
            // with its group's budgets only (the evidence margin, docs/models.md), so the scores
            // may differ from one call's; every entry is still there once, in order.
            const key = (e: ReplyEntry) => JSON.stringify({ ...e, score: undefined, match: undefined });
            expect(split.reply.map(key)).toEqual(whole.map(key));
            return;
          }
          expect(split.reply).toEqual(whole);
          expect(JSON.stringify(split.reply)).toBe(JSON.stringify(whole));
        },
      ),
      { numRuns: 300 },
    );

    // The property is about split requests: a good share of the runs must have been split.
    expect(splitRuns).toBeGreaterThan(60);
  });

  it('splits budgets too when they alone are over half a limit, and still merges in order', () => {
    const seed = loadRequest('seed-request');
    const budgets: Record<string, unknown>[] = Array.from({ length: 30 }, (_, b) => ({
      ...seed.budgets[0],
      budget_id: `b${b}`,
    }));
    budgets[4] = { budget_type_budget: 'hotel' }; // no id: one error entry, once
    const items = Array.from({ length: 25 }, (_, i) => ({
      ...seed.all_user_expense_lineitems[0],
      itemization_id: `i${i}`,
    }));
    items[17] = { itemization_id: '' };
    const request = { budgets, all_user_expense_lineitems: items };
    const lim = { maxRequestBytes: 4000, maxEntries: 200, maxReplyBytes: 20_000 };

    const plan = planChunks(request, lim);
    const { reply } = scoreSplit(request, lim);

    expect(plan.kind === 'split' && plan.budgetGroups.length).toBeGreaterThan(1);
    expect(reply).toEqual(serve(JSON.stringify(request)));
    expect(reply.filter((e) => e.budget_index === 4)).toHaveLength(1);
    expect(reply.at(-1)).toMatchObject({
      itemization_index: 17,
      error: { field: 'all_user_expense_lineitems[17].itemization_id' },
    });
  });

  it('sends a request inside the limits, or one that is not a matcher request, as it is', () => {
    const seed = loadRequest('seed-request');

    expect(planChunks(seed)).toEqual({ kind: 'whole', body: JSON.stringify(seed) });
    expect(planChunks([1, 2])).toEqual({ kind: 'whole', body: '[1,2]' });
    expect(planChunks({ budgets: 'none' })).toEqual({ kind: 'whole', body: '{"budgets":"none"}' });
  });

  it('refuses, naming it, a line item too large for any call', () => {
    const request = {
      budgets: [{ budget_id: 1 }],
      all_user_expense_lineitems: [{ itemization_id: 1, memo: 'x'.repeat(5000) }],
    };

    expect(() =>
      planChunks(request, { maxRequestBytes: 1000, maxEntries: 100, maxReplyBytes: 10_000 }),
    ).toThrow(
      expect.objectContaining({
        code: 'entry_too_large',
        message: expect.stringContaining('all_user_expense_lineitems[0]'),
      }),
    );
  });
});
