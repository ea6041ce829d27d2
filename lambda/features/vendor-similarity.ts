import { foldText } from './fold-text';
import { VendorAliases } from './vendor-aliases';

/**
 * A vendor string prepared once per budget or item so that comparing two is cheap:
 * its meaningful tokens, the first distinctive one (the brand), and the character trigrams of
 * the letters run together (which survive `SOUTHWESTAIR` vs `Southwest Airlines`).
 */
export interface VendorKey {
  readonly tokens: readonly string[];
  readonly weights: readonly number[];
  readonly totalWeight: number;
  readonly brand: string | undefined;
  readonly compact: string;
  /** Sorted, de-duplicated trigram codes of `compact`. */
  readonly trigrams: Int32Array;
  /** The brand of the vendor alias table this vendor names, or −1 (see {@link VendorAliases}). */
  readonly alias: number;
}

/** Similarity of two vendor strings, each part in [0, 1]. */
export interface VendorSimilarity {
  /** Weighted share of tokens that match (exactly or as an abbreviation/prefix). */
  readonly token: number;
  /** 1 when one side's brand (first distinctive token) appears in the other. */
  readonly brand: number;
  /** Dice coefficient of character trigrams. */
  readonly trigram: number;
  /** 1 when the alias table reads both as the same brand. */
  readonly alias: number;
  /** 1 when the alias table reads the item as a brand and the budget's vendors as others only. */
  readonly aliasConflict: number;
}

export const NO_SIMILARITY: VendorSimilarity = { token: 0, brand: 0, trigram: 0, alias: 0, aliasConflict: 0 };

// Card-statement and company-form noise that says nothing about who the vendor is.
const NOISE = new Set([
  'inc',
  'llc',
  'ltd',
  'co',
  'corp',
  'corporation',
  'company',
  'com',
  'www',
  'the',
  'of',
  'and',
  'sa',
  'sas',
  'gmbh',
  'plc',
  'ag',
  'bv',
  'us',
  'usa',
  'trip',
  'ride',
  'pending',
  'purchase',
  'pos',
  'debit',
  'credit',
  'card',
  'ach',
  'sq',
  'tst',
  'pp',
  'paypal',
  'payment',
  'online',
  'web',
  'ticket',
  'tickets',
  'eticket',
  'ref',
  'refund',
  'help',
  'x',
  'de',
  'la',
  'le',
  'du',
  'des',
  'el',
]);

// Words that many vendors share: they count a little, but never make a brand.
const GENERIC = new Set([
  'air',
  'airline',
  'airlines',
  'airways',
  'airway',
  'aviation',
  'lines',
  'line',
  'flight',
  'flights',
  'hotel',
  'hotels',
  'inn',
  'inns',
  'suites',
  'suite',
  'resort',
  'resorts',
  'lodge',
  'motel',
  'hostel',
  'rent',
  'rental',
  'rentals',
  'car',
  'cars',
  'rentacar',
  'a',
  'international',
  'intl',
  'travel',
  'travels',
  'group',
  'rail',
  'railway',
  'railways',
  'train',
  'trains',
  'express',
  'by',
  'city',
  'airport',
  'downtown',
  'center',
  'centre',
  'north',
  'south',
  'east',
  'west',
  'san',
  'new',
  'st',
  'taxi',
  'cab',
  'services',
  'service',
  'grand',
  'plaza',
  'booking',
  'bookings',
  'reservation',
  'reservations',
  'agency',
  'tours',
]);

// Abbreviations seen on card statements and in booking tools.
const ALIASES: Readonly<Record<string, string>> = {
  swa: 'southwest',
  sw: 'southwest',
  swair: 'southwest',
  aa: 'american',
  amer: 'american',
  ua: 'united',
  dl: 'delta',
  dal: 'delta',
  jetblu: 'jetblue',
  alaskaair: 'alaska',
  natl: 'national',
  intl: 'international',
  htl: 'hotel',
  hotl: 'hotel',
  airln: 'airlines',
  arln: 'airlines',
  airl: 'airlines',
  awys: 'airways',
  rac: 'rentacar',
  ihg: 'holiday',
  hgi: 'hilton',
  amtk: 'amtrak',
  nrpc: 'amtrak',
};

const GENERIC_WEIGHT = 0.25;
const MIN_PREFIX = 3;

/**
 * Prepares a vendor string for comparison; `undefined` when nothing meaningful is left
 * (an absent string, or one made only of reference numbers and noise).
 *
 * @example vendorKey('SOUTHWEST AIR 5262174963012')?.tokens // ['southwest', 'air']
 */
export function vendorKey(
  text: string | undefined,
  aliases: VendorAliases = VendorAliases.EMPTY,
): VendorKey | undefined {
  if (text === undefined) return undefined;
  const unique = new Set<string>();
  const folded = foldText(text).split(' ');
  for (const raw of folded) {
    // Reference, store and card numbers (and codes mixing letters with digits) name no vendor.
    if (raw === '' || /\d/.test(raw) || NOISE.has(raw)) continue;
    unique.add(ALIASES[raw] ?? raw);
  }
  if (unique.size === 0) return undefined;
  const tokens = [...unique];
  const weights = tokens.map((t) => (GENERIC.has(t) || t.length < 2 ? GENERIC_WEIGHT : 1));
  const compact = tokens.join('');
  return {
    tokens,
    weights,
    totalWeight: weights.reduce((a, b) => a + b, 0),
    brand: tokens.find((t) => !GENERIC.has(t) && t.length >= MIN_PREFIX),
    compact,
    trigrams: trigramsOf(compact),
    alias: aliases.resolve(folded),
  };
}

/** Compares two prepared vendors. Symmetric. */
export function vendorSimilarity(a: VendorKey, b: VendorKey): VendorSimilarity {
  const matched = matchedWeight(a, b) + matchedWeight(b, a);
  const token = Math.min(1, matched / (a.totalWeight + b.totalWeight));
  const brand = brandIn(a.brand, b) || brandIn(b.brand, a) ? 1 : 0;
  const alias = a.alias >= 0 && a.alias === b.alias ? 1 : 0;
  const aliasConflict = a.alias >= 0 && b.alias >= 0 && a.alias !== b.alias ? 1 : 0;
  return { token, brand, trigram: dice(a.trigrams, b.trigrams), alias, aliasConflict };
}

/** The best similarity of an item's vendor to any of a budget's vendors, part by part. */
export function bestVendorSimilarity(budgetVendors: readonly VendorKey[], item: VendorKey): VendorSimilarity {
  let token = 0;
  let brand = 0;
  let trigram = 0;
  let alias = 0;
  let known = 0;
  for (const vendor of budgetVendors) {
    const s = vendorSimilarity(vendor, item);
    if (s.token > token) token = s.token;
    if (s.brand > brand) brand = s.brand;
    if (s.trigram > trigram) trigram = s.trigram;
    if (s.alias > alias) alias = s.alias;
    if (vendor.alias >= 0) known = 1;
  }
  // A conflict only when no budget vendor is the item's brand (an agency beside the brand is not one).
  const aliasConflict = item.alias >= 0 && known === 1 && alias === 0 ? 1 : 0;
  return { token, brand, trigram, alias, aliasConflict };
}

function tokensMatch(x: string, y: string): boolean {
  if (x === y) return true;
  // Card statements truncate ("SOUTHWES", "MARRIOT") and abbreviate ("AIR" for "Airlines").
  // No destructured pair or closure here or in the callers: they ran per request and per budget
  // and vendor, and their allocations were part of a 1 × 1 request's scavenges (`npm run bench`).
  return x.length <= y.length
    ? x.length >= MIN_PREFIX && y.startsWith(x)
    : y.length >= MIN_PREFIX && x.startsWith(y);
}

function anyTokenMatches(token: string, tokens: readonly string[]): boolean {
  for (const t of tokens) if (tokensMatch(token, t)) return true;
  return false;
}

function matchedWeight(from: VendorKey, to: VendorKey): number {
  let sum = 0;
  for (let i = 0; i < from.tokens.length; i++) {
    if (anyTokenMatches(from.tokens[i] as string, to.tokens)) sum += from.weights[i] as number;
  }
  return sum;
}

function brandIn(brand: string | undefined, other: VendorKey): boolean {
  if (brand === undefined) return false;
  // Run-together descriptors ("SOUTHWESTAIR", "HILTONGARDENINN") hide the brand inside a token.
  return anyTokenMatches(brand, other.tokens) || other.compact.includes(brand);
}

function trigramsOf(s: string): Int32Array {
  if (s.length < 3) return Int32Array.of(hash3(s.padEnd(3, '_'), 0));
  const out = new Int32Array(s.length - 2);
  for (let i = 0; i < out.length; i++) out[i] = hash3(s, i);
  out.sort();
  let n = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[n - 1]) out[n++] = out[i] as number;
  return out.subarray(0, n);
}

function hash3(s: string, i: number): number {
  return (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8) | s.charCodeAt(i + 2);
}

function dice(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}
