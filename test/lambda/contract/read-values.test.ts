import fc from 'fast-check';
import {
  budgetSchema,
  type IdProblem,
  lineItemSchema,
  parseBudget,
  parseItem,
  readAmount,
  readId,
  readText,
  TimestampReader,
} from '../../../lambda/contract';
import { amount, id, text, timestamp } from '../../../lambda/contract/values';
import { parseEntryWithSchema } from '../../helpers/parse-with-schemas';

// Client-shaped values: what real clients send for each field, and what they send by mistake.
const pad = fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00a0', '\ufeff');
const padded = (s: fc.Arbitrary<string>) => fc.tuple(pad, s, pad).map(([a, x, b]) => `${a}${x}${b}`);
const digits = fc.stringMatching(/^\d{1,12}$/);
const numericText = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.integer().map(String),
  fc.stringMatching(/^[+-]?\d{0,4}(\.\d{0,3})?([eE][+-]?\d{1,3})?$/),
  fc.stringMatching(/^[+-]?\d{1,3}(,\d{3}){0,3}(\.\d{0,2})?$/),
  fc.stringMatching(/^\d{1,3},\d{1,2}$/),
  fc.constantFrom('1e999', '-1e999', '.', '+', '-', ',', '1,2,3', '0x10', 'Infinity', 'NaN', '١٢٣'),
);
const dateText = fc.oneof(
  fc
    .record({
      y: fc.integer({ min: 0, max: 9999 }),
      m: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
      h: fc.integer({ min: 0, max: 25 }),
      mi: fc.integer({ min: 0, max: 60 }),
      s: fc.integer({ min: 0, max: 61 }),
      sep: fc.constantFrom('T', ' ', 't'),
      frac: fc.constantFrom('', '.5', ',123', '.123456789'),
      zone: fc.constantFrom('', 'Z', 'z', '+02:00', '-0530', '+19', '-12:60', ' Z'),
      time: fc.boolean(),
    })
    .map(({ y, m, d, h, mi, s, sep, frac, zone, time }) => {
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      const date = `${p(y, 4)}-${p(m)}-${p(d)}`;
      return time ? `${date}${sep}${p(h)}:${p(mi)}:${p(s)}${frac}${zone}` : date;
    }),
  fc.constantFrom('2017-04-18 04:00:00', '2017-04-18', '2017-04-18T04:00:00Z', '2017-02-30', '18/04/2017'),
);
const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ minLength: 250, maxLength: 300 }),
  fc.constantFrom(
    '',
    ' ',
    'Southwest Airlines',
    'Hôtel Lumière Paris',
    'UBER   *TRIP',
    '\u0000',
    '\ud800',
    'a\ufffe',
  ),
);
/** Any value a client might put in a field. */
const clientValue: fc.Arbitrary<unknown> = fc.oneof(
  padded(numericText),
  padded(dateText),
  padded(digits),
  padded(oddText),
  fc.double(),
  fc.integer(),
  fc.constantFrom(2 ** 53, 2 ** 53 - 1, -(2 ** 53), 1e21, -0, 0.1, Number.MAX_VALUE),
  fc.constantFrom(null, undefined, true, false),
  fc.constant({}),
  fc.constant([1]),
  fc.array(fc.string(), { maxLength: 2 }),
);

const zodId = (value: unknown): string | IdProblem => {
  const result = id.safeParse(value);
  return result.success ? result.data : { message: result.error.issues[0]?.message ?? '' };
};

describe('hand-written value readers, held to the zod value schemas', () => {
  it('readAmount reads every client value as `amount` does', () => {
    fc.assert(
      fc.property(clientValue, (value) => {
        expect(readAmount(value)).toEqual(amount.parse(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('readText reads every client value as `text` does', () => {
    fc.assert(
      fc.property(clientValue, (value) => {
        expect(readText(value)).toEqual(text.parse(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('TimestampReader reads every client value as `timestamp` does, the first time and when it repeats', () => {
    const reader = new TimestampReader();
    fc.assert(
      fc.property(clientValue, (value) => {
        const expected = timestamp.parse(value);

        expect(reader.read(value)).toEqual(expected);
        expect(reader.read(value)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('readId reads every client value as `id` does, failing with the same message', () => {
    fc.assert(
      fc.property(clientValue, (value) => {
        expect(readId(value)).toEqual(zodId(value));
      }),
      { numRuns: 5000 },
    );
  });
});

const BUDGET_KEYS = Object.keys(budgetSchema.shape);
const ITEM_KEYS = Object.keys(lineItemSchema.shape);
/** An entry as a client writes it: any subset of the contract's keys, any values, extra keys. */
const entryOf = (keys: readonly string[]) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.dictionary(fc.constantFrom(...keys, 'extra'), clientValue, { maxKeys: keys.length + 1 }),
    },
    { weight: 1, arbitrary: clientValue },
  );

describe('parseBudget and parseItem, held to the contract schemas', () => {
  it('parse every budget as budgetSchema does, error entries included', () => {
    fc.assert(
      fc.property(entryOf(BUDGET_KEYS), fc.nat(10_000), (raw, index) => {
        expect(parseBudget(raw, index)).toEqual(
          parseEntryWithSchema(budgetSchema, raw, index, 'budgets', 'budget'),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('parse every line item as lineItemSchema does, error entries included', () => {
    fc.assert(
      fc.property(entryOf(ITEM_KEYS), fc.nat(10_000), (raw, index) => {
        expect(parseItem(raw, index)).toEqual(
          parseEntryWithSchema(lineItemSchema, raw, index, 'all_user_expense_lineitems', 'line item'),
        );
      }),
      { numRuns: 3000 },
    );
  });
});
