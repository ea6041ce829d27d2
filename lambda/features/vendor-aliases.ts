import { foldText } from './fold-text';

/**
 * The vendor alias table as a model artifact ships it (`vendor-aliases.json`): for each brand,
 * the names it goes by on bookings and card statements, parent and legal company names,
 * sub-brands and abbreviations. Users extend it by publishing a new model version with an edited
 * table (docs/models.md), never by editing a served artifact.
 *
 * @example { "version": 1, "brands": { "Deutsche Bahn": ["DB VERTRIEB", "DB FERNVERKEHR", "DB BAHN"] } }
 */
export interface VendorAliasTable {
  readonly version: 1;
  readonly brands: Readonly<Record<string, readonly string[]>>;
}

// Variants this short (after folding, run together) name a brand only as a whole token
// ("SWA", "DB", "KLM"): as a prefix they would match half the dictionary.
const MIN_PREFIX_VARIANT = 4;
// A descriptor cut short must keep this much of a variant to count ("SOUTHWES", "BRITISH A").
const MIN_TRUNCATED = 5;
// A word cut to this many letters still names its word ("HYAT REGE", "ENTR RENT").
const MIN_ABBREVIATION = 3;
// Tokens with this many digits are reference, ticket or store numbers; shorter ones are names ("MOTEL 6").
const NUMBER_DIGITS = 3;
const DIGIT = /\d/g;
// Distinct vendor texts remembered across requests; past this the memory starts over.
const RESOLVED_CACHE_SIZE = 20_000;

/**
 * A compiled alias table: which brand (an index into `brands`) a vendor text names, or −1.
 * A variant matches when its letters, run together, start at a token of the text and end at a
 * token boundary ("HILTON GARDEN INN NYC", "HILTONGARDENINN"), or when the text is cut short inside
 * one of its words ("SOUTHWES", "UNITED AI"); the longest match wins. Resolved once per distinct vendor text a
 * request (the {@link Normaliser} caches it), so the pair loop only compares two integers.
 */
export class VendorAliases {
  /** The table without brands: every text resolves to −1 (models without a table). */
  static readonly EMPTY = new VendorAliases({ version: 1, brands: {} });

  readonly brands: readonly string[];
  private readonly wholeTokens = new Map<string, number>();
  private readonly byPrefix = new Map<
    string,
    Array<readonly [variant: string, brand: number, wordEnds: ReadonlySet<number>, words: readonly string[]]>
  >();

  constructor(readonly table: VendorAliasTable) {
    this.brands = Object.keys(table.brands);
    this.brands.forEach((brand, id) => {
      for (const text of [brand, ...(table.brands[brand] ?? [])]) {
        const words = compactTokens(foldText(text).split(' '));
        const variant = words.join('');
        if (variant === '') continue;
        if (variant.length < MIN_PREFIX_VARIANT) {
          if (!this.wholeTokens.has(variant)) this.wholeTokens.set(variant, id);
          continue;
        }
        const key = variant.slice(0, MIN_PREFIX_VARIANT);
        const list = this.byPrefix.get(key) ?? [];
        const wordEnds = new Set<number>();
        let end = 0;
        for (const w of words) {
          end += w.length;
          wordEnds.add(end);
        }
        list.push([variant, id, wordEnds, words]);
        this.byPrefix.set(key, list);
      }
    });
  }

  // Resolved texts, kept across requests (a user's vendors repeat from one request to the next):
  // a one-pair request spends more on resolving its two vendors than on scoring them.
  private readonly resolved = new Map<string, number>();

  /** The brand `tokens` (a folded vendor text, split on spaces) name, or −1. */
  resolve(tokens: readonly string[]): number {
    const key = tokens.join(' ');
    const known = this.resolved.get(key);
    if (known !== undefined) return known;
    const brand = this.search(tokens);
    if (this.resolved.size >= RESOLVED_CACHE_SIZE) this.resolved.clear();
    this.resolved.set(key, brand);
    return brand;
  }

  private search(tokens: readonly string[]): number {
    const words = compactTokens(tokens);
    let best = -1;
    let bestLength = 0;
    for (let p = 0; p < words.length; p++) {
      const whole = this.wholeTokens.get(words[p] as string);
      if (whole !== undefined && (words[p] as string).length > bestLength) {
        best = whole;
        bestLength = (words[p] as string).length;
      }
      let rest = '';
      const boundaries: number[] = [];
      for (let q = p; q < words.length; q++) {
        rest += words[q];
        boundaries.push(rest.length);
      }
      if (rest.length < MIN_PREFIX_VARIANT) continue;
      const candidates = this.byPrefix.get(rest.slice(0, MIN_PREFIX_VARIANT));
      if (candidates === undefined) continue;
      for (const [variant, brand, wordEnds, variantWords] of candidates) {
        let length = 0;
        if (rest.startsWith(variant)) {
          if (boundaries.includes(variant.length)) length = variant.length;
        } else if (rest.length >= MIN_TRUNCATED && variant.startsWith(rest) && !wordEnds.has(rest.length)) {
          // Cut inside a word of the variant ("SOUTHWES"), not after one: "AIRPORT PARKING" is
          // not "PARKING SPOT" cut short.
          length = rest.length;
        } else {
          length = abbreviated(words, p, variantWords);
        }
        if (length > bestLength) {
          best = brand;
          bestLength = length;
        }
      }
    }
    return best;
  }
}

/**
 * Letters of `words` from `p` that spell the variant's words each cut short ("HYAT REGE" for
 * Hyatt Regency, as narrow terminals print names), or 0. Every variant word must be there, unless
 * the text ends first; each text word is the variant word or at least three letters of its start.
 */
function abbreviated(words: readonly string[], p: number, variantWords: readonly string[]): number {
  const k = Math.min(variantWords.length, words.length - p);
  // One word cut short is truncation (its own rule, which will not stop at a word end).
  if (k < 2) return 0;
  let length = 0;
  for (let i = 0; i < k; i++) {
    const w = words[p + i] as string;
    const v = variantWords[i] as string;
    if (w !== v && (w.length < MIN_ABBREVIATION || !v.startsWith(w))) return 0;
    length += w.length;
  }
  return length;
}

/** Tokens without reference numbers (three digits or more) and empty strings. */
function compactTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t === '') continue;
    const digits = t.match(DIGIT)?.length ?? 0;
    if (digits < NUMBER_DIGITS) out.push(t);
  }
  return out;
}

/**
 * Reads an alias table from its JSON text.
 * @throws Error naming what is wrong when it is not a `{ version: 1, brands: { name: [text...] } }` object.
 */
export function parseVendorAliases(json: string): VendorAliasTable {
  const value = JSON.parse(json) as { version?: unknown; brands?: unknown };
  if (value === null || typeof value !== 'object' || value.version !== 1)
    throw new Error('vendor alias table: "version" must be 1');
  const brands = value.brands;
  if (brands === null || typeof brands !== 'object' || Array.isArray(brands))
    throw new Error('vendor alias table: "brands" must be an object of brand → list of names');
  for (const [brand, variants] of Object.entries(brands)) {
    if (!Array.isArray(variants) || !variants.every((v) => typeof v === 'string'))
      throw new Error(`vendor alias table: brands["${brand}"] must be a list of strings`);
  }
  return { version: 1, brands: brands as Record<string, string[]> };
}
