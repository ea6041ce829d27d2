import type { City } from './cities';
import type { Random } from './random';
import type { Brand, Merchant } from './vendors';

/** How a card statement or receipt import may write a merchant's name. */
export type DescriptorStyle =
  | 'statement'
  | 'reference'
  | 'location'
  | 'store-number'
  | 'run-together'
  | 'truncated'
  | 'booking-name'
  | 'lowercase'
  | 'processor'
  | 'title-location'
  | 'coded'
  | 'abbreviated';

/** Which mix of descriptor styles a data set uses. */
export type DescriptorMix = 'training' | 'unseen';

// The unseen-vendor set adds styles the training data never shows (payment-processor
// prefixes, words cut to four letters, title case with a location), and leans on them.
const MIXES: Readonly<Record<DescriptorMix, ReadonlyArray<readonly [DescriptorStyle, number]>>> = {
  training: [
    ['statement', 22],
    ['reference', 22],
    ['location', 16],
    ['store-number', 6],
    ['run-together', 8],
    ['truncated', 12],
    ['booking-name', 8],
    ['lowercase', 6],
  ],
  unseen: [
    ['statement', 8],
    ['reference', 8],
    ['location', 6],
    ['truncated', 6],
    ['booking-name', 4],
    ['processor', 20],
    ['title-location', 18],
    ['coded', 15],
    ['abbreviated', 15],
  ],
};

// Acquirers cap the merchant name field: 22 to 25 characters on most card statements.
const STATEMENT_WIDTH: readonly [number, number] = [14, 25];
const PROCESSORS = ['PAYPAL *', 'PP*', 'SQ *', 'CKO*', 'STRIPE* '];

/**
 * A descriptor for a charge by `merchant`, in a style drawn from `mix`.
 *
 * @example describeMerchant(rng, southwest, dallas, 'training') // 'SOUTHWEST AIR 5262174963012'
 */
export function describeMerchant(
  rng: Random,
  merchant: Merchant | Brand,
  city: City,
  mix: DescriptorMix,
): string {
  return describeInStyle(rng, merchant, city, rng.weighted(MIXES[mix]));
}

/** A descriptor for a charge by `merchant` in one given style. */
export function describeInStyle(
  rng: Random,
  merchant: Merchant | Brand,
  city: City,
  style: DescriptorStyle,
): string {
  // A `#` in a statement name stands for the property's or counter's store number.
  const base = rng.pick(merchant.statement).replace(/#/g, () => `#${rng.digits(4)}`);
  const place = asciiUpper(city.name);
  switch (style) {
    case 'statement':
      return base;
    case 'reference':
      return `${base} ${referenceNumber(rng, merchant)}`;
    case 'location':
      return rng.chance(0.5) ? `${base} ${place}` : `${base} ${place} ${city.code}`;
    case 'store-number':
      return `${base} #${rng.digits(4)}`;
    case 'run-together':
      return base.replace(/[^A-Z0-9*]/g, '');
    case 'truncated': {
      const full = `${base} ${rng.chance(0.5) ? place : referenceNumber(rng, merchant)}`;
      return full.slice(0, rng.int(STATEMENT_WIDTH[0], STATEMENT_WIDTH[1])).trim();
    }
    case 'booking-name':
      return rng.pick([merchant.name, ...merchant.alsoBookedAs]);
    case 'lowercase':
      return `${base.toLowerCase()} ${rng.chance(0.5) ? referenceNumber(rng, merchant) : ''}`.trim();
    case 'processor':
      return `${rng.pick(PROCESSORS)}${base.replace(/[^A-Z0-9]/g, '')}`;
    case 'title-location':
      return `${titleCase(base)} ${city.name} ${city.code}`;
    case 'coded':
      return `${base}*${alphanumericCode(rng)}`;
    case 'abbreviated':
      // Long words cut to four to six letters, as narrow terminals print them ("HYAT REGENCY").
      return base
        .split(/\s+/)
        .map((w) => (w.length > 6 ? w.slice(0, rng.int(4, 6)) : w))
        .join(' ');
  }
}

/** Upper case with accents dropped, as card networks print names ("ZÜRICH" → "ZURICH"). */
export function asciiUpper(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase();
}

function referenceNumber(rng: Random, merchant: Merchant | Brand): string {
  // Airline charges carry the 13-digit ticket number, whose first three digits name the airline.
  if ('ticketPrefix' in merchant && merchant.ticketPrefix !== undefined)
    return `${merchant.ticketPrefix}${rng.digits(10)}`;
  return rng.digits(rng.int(4, 12));
}

function alphanumericCode(rng: Random): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < 6; i++) code += chars[rng.int(0, chars.length - 1)] ?? 'X';
  // Codes without a digit would read as a word; booking references always have one.
  return `${code}${rng.int(2, 9)}`;
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase());
}
