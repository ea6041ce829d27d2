import type { City } from './cities';
import type { DescriptorStyleName } from './eval-config';
import type { Random } from './random';
import { type Brand, CORPORATE_NAMES, type Merchant } from './vendors';

/** How a card statement or receipt import may write a merchant's name. */
export type DescriptorStyle = DescriptorStyleName;

/** Weights of descriptor styles (a generator configuration's plain or noisy mix). */
export type DescriptorMix = Readonly<Partial<Record<DescriptorStyle, number>>>;

// Acquirers cap the merchant name field: 22 to 25 characters on most card statements.
const STATEMENT_WIDTH: readonly [number, number] = [14, 25];
const PROCESSORS = ['PAYPAL *', 'PP*', 'SQ *', 'CKO*', 'STRIPE* '];

/**
 * A descriptor for a charge by `merchant`, in a style drawn from `mix`; `agency` is the agency
 * the booking was bought through, for the `agency` style.
 *
 * @example describeMerchant(rng, southwest, dallas, TRAINING_GENERATOR.plainDescriptors) // 'SOUTHWEST AIR 5262174963012'
 */
export function describeMerchant(
  rng: Random,
  merchant: Merchant | Brand,
  city: City,
  mix: DescriptorMix,
  agency?: Merchant,
): string {
  const styles = Object.entries(mix) as Array<[DescriptorStyle, number]>;
  return describeInStyle(rng, merchant, city, rng.weighted(styles), agency);
}

/** A descriptor for a charge by `merchant` in one given style. */
export function describeInStyle(
  rng: Random,
  merchant: Merchant | Brand,
  city: City,
  style: DescriptorStyle,
  agency?: Merchant,
): string {
  // A `#` in a statement name stands for the property's or counter's store number.
  const base = rng.pick(merchant.statement).replace(/#/g, () => `#${rng.digits(4)}`);
  const corporate = CORPORATE_NAMES[merchant.name] ?? [];
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
    case 'parent-company':
      // The parent or legal company bills, often with the ticket or folio number.
      if (corporate.length === 0) return `${base} ${referenceNumber(rng, merchant)}`;
      return rng.chance(0.5)
        ? rng.pick(corporate)
        : `${rng.pick(corporate)} ${referenceNumber(rng, merchant)}`;
    case 'legal-name':
      if (corporate.length === 0) return `${base} ${place}`;
      return `${rng.pick(corporate)} ${rng.chance(0.5) ? place : city.code}`;
    case 'sub-brand':
      // A property flag or a regional carrier, with its store or counter number.
      if (corporate.length === 0) return `${base} #${rng.digits(4)}`;
      return `${rng.pick(corporate)} #${rng.digits(rng.int(3, 5))}`;
    case 'agency': {
      // A booking tool or agency bills: its own name, or its name with the brand's after a star.
      if (agency === undefined) return `${base}*${alphanumericCode(rng)}`;
      const tool = rng.pick(agency.statement);
      return rng.weighted<() => string>([
        [() => `${tool} ${rng.digits(rng.int(6, 10))}`, 50],
        [() => `${tool.replace(/[^A-Z0-9]/g, '').slice(0, 4)}*${base}`.slice(0, 25), 50],
      ])();
    }
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
