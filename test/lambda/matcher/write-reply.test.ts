import fc from 'fast-check';
import { parseRequest } from '../../../lambda/contract';
import { assembleReply, writeMillionths, writeReplyJson } from '../../../lambda/matcher';
import { EVENT_NAMES, loadEvent } from '../../helpers/events';

// Ids as clients send them (quotes, backslashes, non-ASCII, numbers), and unusable ones.
const id = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
  fc.constantFrom('a"b', 'c\\d', 'é', '😀', '  7  ', '', '\u0000'),
  fc.integer(),
  fc.constant(null),
);
const request = fc.record({
  budgets: fc.array(fc.oneof(fc.record({ budget_id: id }), fc.constant(7)), { maxLength: 4 }),
  all_user_expense_lineitems: fc.array(fc.oneof(fc.record({ itemization_id: id }), fc.constant([])), {
    maxLength: 6,
  }),
});
const score = fc.oneof(
  fc.float({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(0, 1, 0.5, 1e-7, 0.9999995, 0.4999995, Number.NaN, -0),
);

describe('writeReplyJson', () => {
  it('writes exactly JSON.stringify of the reply entries, for any request, scores and threshold', () => {
    fc.assert(
      fc.property(
        request,
        fc.array(score, { minLength: 24, maxLength: 24 }),
        score,
        (raw, values, threshold) => {
          const parsed = parseRequest(raw);
          const scores = Float32Array.from(values);

          const json = writeReplyJson(parsed, scores, threshold);

          expect(json).toBe(JSON.stringify(assembleReply(parsed, scores, threshold)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes the reply of every sample request as JSON.stringify does', () => {
    const requests = EVENT_NAMES.map((name) => loadEvent(name)).filter((e) => 'budgets' in e);

    for (const raw of requests) {
      const parsed = parseRequest(raw);
      const scores = Float32Array.from({ length: 64 }, (_, i) => i / 64);

      expect(writeReplyJson(parsed, scores, 0.5)).toBe(JSON.stringify(assembleReply(parsed, scores, 0.5)));
    }
  });
});

describe('writeMillionths', () => {
  it('writes every six-decimal score in (0, 1) exactly as String does', () => {
    const out = new Uint8Array(16);
    let mismatches = 0;

    for (let m = 1; m < 1e6; m++) {
      const end = writeMillionths(out, 0, m);
      const expected = String(m / 1e6);
      let same = end === expected.length;
      for (let i = 0; same && i < end; i++) same = out[i] === expected.charCodeAt(i);
      if (!same) mismatches++;
    }

    expect(mismatches).toBe(0);
  });
});
