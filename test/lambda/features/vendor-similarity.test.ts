import fc from 'fast-check';
import {
  bestVendorSimilarity,
  NO_SIMILARITY,
  type VendorKey,
  vendorKey,
  vendorSimilarity,
} from '../../../lambda/features';

/** The key of a vendor string that must have one. */
function key(text: string): VendorKey {
  const k = vendorKey(text);
  if (k === undefined) throw new Error(`expected a vendor key for ${JSON.stringify(text)}`);
  return k;
}

const similarity = (a: string, b: string) => vendorSimilarity(key(a), key(b));

const VENDOR_WORDS = [
  'SOUTHWEST',
  'Southwest',
  'AIR',
  'Airlines',
  'DELTA',
  'AIR LINES',
  'Hôtel',
  'HOTEL',
  'Lumière',
  'PARIS',
  'MARRIOTT',
  'MARRIOT',
  'Downtown',
  'Dallas',
  'UBER',
  '*TRIP',
  'HERTZ',
  'RENT-A-CAR',
  '#0412',
  'SWA',
  'AA',
  'inc',
  'LLC',
  '&',
  'x',
  'a',
  '5262174963012',
  'SOUTHWESTAIR',
  'Hilton',
  'GARDEN',
  'INN',
  '-',
] as const;

/** Free text and receipt-like strings made of vendor words, noise and numbers. */
const vendorText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.constantFrom(...VENDOR_WORDS), { maxLength: 6 }).map((words) => words.join(' ')),
);

describe('vendorKey', () => {
  it('drops reference numbers and keeps the words', () => {
    const k = key('SOUTHWEST AIR 5262174963012');

    expect(k.tokens).toEqual(['southwest', 'air']);
    expect(k.brand).toBe('southwest');
  });

  it('drops card-statement noise and runs of punctuation', () => {
    const k = key('UBER   *TRIP');

    expect(k.tokens).toEqual(['uber']);
    expect(k.brand).toBe('uber');
  });

  it('folds accents and case', () => {
    const [accented, plain] = [key('Hôtel Lumière Paris'), key('HOTEL LUMIERE PARIS')];

    expect(accented.tokens).toEqual(['hotel', 'lumiere', 'paris']);
    expect(accented).toEqual(plain);
  });

  it('never takes a generic word as the brand', () => {
    const k = key('Hotel Lumiere');

    expect(k.brand).toBe('lumiere');
  });

  it('has no brand when every word is generic', () => {
    const k = key('Airport Taxi');

    expect(k.brand).toBeUndefined();
  });

  it('expands card-statement abbreviations', () => {
    const k = key('SWA');

    expect(k.tokens).toEqual(['southwest']);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['a pure number', '5262174963012'],
    ['numbers and punctuation', '#0412 - 5262'],
    ['only noise', 'POS DEBIT PURCHASE'],
  ])('is undefined for %s', (_label, text) => {
    const k = vendorKey(text);

    expect(k).toBeUndefined();
  });
});

describe('vendorSimilarity', () => {
  it('matches a card-statement spelling with a reference number to the booked vendor', () => {
    const s = similarity('SOUTHWEST AIR 5262174963012', 'Southwest Airlines');

    expect(s.token).toBeGreaterThanOrEqual(0.8);
    expect(s.brand).toBe(1);
    expect(s.trigram).toBeGreaterThan(0.5);
  });

  it('finds the brand in a run-together descriptor', () => {
    const s = similarity('SOUTHWESTAIR', 'Southwest Airlines');

    expect(s.brand).toBe(1);
  });

  it('gives accented and plain spellings full token similarity', () => {
    const s = similarity('Hôtel Lumière Paris', 'HOTEL LUMIERE PARIS');

    expect(s).toEqual({ token: 1, brand: 1, trigram: 1, alias: 0, aliasConflict: 0 });
  });

  it('matches a truncated name', () => {
    const s = similarity('MARRIOT', 'Marriott');

    expect(s.token).toBe(1);
    expect(s.brand).toBe(1);
  });

  it('matches an abbreviation to the full name', () => {
    const s = similarity('SWA 1234', 'Southwest Airlines');

    expect(s.brand).toBe(1);
    expect(s.token).toBeGreaterThan(0.5);
  });

  it('keeps a different airline low', () => {
    const s = similarity('DELTA AIR LINES', 'Southwest Airlines');

    expect(s.token).toBeLessThan(0.3);
    expect(s.brand).toBe(0);
    expect(s.trigram).toBeLessThan(0.5);
  });

  it('gives unrelated vendors nothing', () => {
    const s = similarity('Pappas Bros Steakhouse', 'Southwest Airlines');

    expect(s).toEqual({ token: 0, brand: 0, trigram: 0, alias: 0, aliasConflict: 0 });
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(vendorText, vendorText, (a, b) => {
        const [ka, kb] = [vendorKey(a), vendorKey(b)];
        fc.pre(ka !== undefined && kb !== undefined);
        if (ka === undefined || kb === undefined) return;

        const [ab, ba] = [vendorSimilarity(ka, kb), vendorSimilarity(kb, ka)];

        expect(ab).toEqual(ba);
      }),
    );
  });

  it('stays within [0, 1]', () => {
    fc.assert(
      fc.property(vendorText, vendorText, (a, b) => {
        const [ka, kb] = [vendorKey(a), vendorKey(b)];
        fc.pre(ka !== undefined && kb !== undefined);
        if (ka === undefined || kb === undefined) return;

        const s = vendorSimilarity(ka, kb);

        for (const part of [s.token, s.brand, s.trigram]) {
          expect(part).toBeGreaterThanOrEqual(0);
          expect(part).toBeLessThanOrEqual(1);
        }
        expect([0, 1]).toContain(s.brand);
      }),
    );
  });

  it('gives a vendor compared with itself token 1, trigram 1, and brand 1 when it has a brand', () => {
    fc.assert(
      fc.property(vendorText, (a) => {
        const k = vendorKey(a);
        fc.pre(k !== undefined);
        if (k === undefined) return;

        const s = vendorSimilarity(k, k);

        expect(s.token).toBe(1);
        expect(s.trigram).toBe(1);
        expect(s.brand).toBe(k.brand === undefined ? 0 : 1);
      }),
    );
  });
});

describe('bestVendorSimilarity', () => {
  it('takes the best of the budget vendors, part by part', () => {
    const budgetVendors = [key('Marriott'), key('Southwest Airlines')];

    const s = bestVendorSimilarity(budgetVendors, key('SOUTHWEST AIR 5262174963012'));

    expect(s).toEqual(vendorSimilarity(key('Southwest Airlines'), key('SOUTHWEST AIR 5262174963012')));
  });

  it('gives no similarity without budget vendors', () => {
    const s = bestVendorSimilarity([], key('Southwest Airlines'));

    expect(s).toEqual(NO_SIMILARITY);
  });
});
