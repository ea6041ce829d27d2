import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { type Parsed, parseRequest } from '../../../lambda/contract';
import {
  FEATURE_COUNT,
  Normaliser,
  pairFeatures,
  parseVendorAliases,
  VendorAliases,
} from '../../../lambda/features';
import { foldText } from '../../../lambda/features/fold-text';
import { TEST_GENERATOR } from '../../../train/eval-config';
import { generatePairs } from '../../../train/generate-pairs';
import { EVENT_NAMES, loadEvent } from '../../helpers/events';
import { parseRequestWithSchemas } from '../../helpers/parse-with-schemas';
import {
  referenceFoldText,
  referenceNormaliseBudget,
  referenceNormaliseItem,
  referencePairFeatures,
} from '../../helpers/reference-features';

const okValues = <T>(entries: readonly Parsed<T>[]): T[] => entries.flatMap((e) => (e.ok ? [e.value] : []));

/** The alias table training ships with the model. */
const ALIASES = new VendorAliases(
  parseVendorAliases(readFileSync(join(__dirname, '..', '..', '..', 'train', 'vendor-aliases.json'), 'utf8')),
);

/** The feature matrix as serving computes it now: hand-written parse, one Normaliser, pairFeatures. */
function fastMatrix(request: unknown, aliases = ALIASES): Float32Array {
  const parsed = parseRequest(request);
  const normaliser = new Normaliser(aliases);
  return pairFeatures(
    okValues(parsed.budgets).map((b) => normaliser.budget(b)),
    okValues(parsed.items).map((i) => normaliser.item(i)),
  );
}

/** The feature matrix as serving computed it before: zod parse, per-entry normalise, per-pair writes. */
function referenceMatrix(request: unknown, aliases = ALIASES): Float32Array {
  const parsed = parseRequestWithSchemas(request);
  return referencePairFeatures(
    okValues(parsed.budgets).map((b) => referenceNormaliseBudget(b, aliases)),
    okValues(parsed.items).map((i) => referenceNormaliseItem(i, aliases)),
  );
}

/** Bit-for-bit equality of two float arrays (NaN and -0 included). */
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('the hot path computes the features the reference computes, bit for bit', () => {
  it('on thousands of generated pairs (the training generator, 40 users)', () => {
    const users = generatePairs({ seed: 20261202, users: 40 });
    let pairs = 0;

    for (const user of users) {
      const fast = fastMatrix(user.request);
      const reference = referenceMatrix(user.request);

      expect(bits(fast).equals(bits(reference))).toBe(true);
      pairs += fast.length;
    }

    expect(pairs / FEATURE_COUNT).toBeGreaterThan(2000);
  });

  it("on the test generator's data (other styles and brands), and without an alias table", () => {
    const users = generatePairs({ seed: 20261203, users: 25, generator: TEST_GENERATOR });

    for (const user of users) {
      expect(bits(fastMatrix(user.request)).equals(bits(referenceMatrix(user.request)))).toBe(true);
      const bare = VendorAliases.EMPTY;
      expect(bits(fastMatrix(user.request, bare)).equals(bits(referenceMatrix(user.request, bare)))).toBe(
        true,
      );
    }
  });

  it('on every sample request, bad ones included', () => {
    const requests = EVENT_NAMES.map((name) => loadEvent(name)).filter(
      (e) => 'budgets' in e && 'all_user_expense_lineitems' in e,
    );

    expect(requests.length).toBeGreaterThan(3);
    for (const request of requests)
      expect(bits(fastMatrix(request)).equals(bits(referenceMatrix(request)))).toBe(true);
  });

  it('folds any text as the reference does (ASCII skips the Unicode decomposition)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' }), fc.string()),
        (text) => {
          expect(foldText(text)).toBe(referenceFoldText(text));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
