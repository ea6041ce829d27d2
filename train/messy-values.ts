import { HOUR_MS, isoDate } from './calendar';
import type { Random } from './random';

/** Marks a field to leave out of a generated record altogether. */
export const ABSENT: unique symbol = Symbol('absent');

/** A raw JSON field value as clients send it, or {@link ABSENT}. */
export type RawValue =
  | string
  | number
  | boolean
  | null
  | Readonly<Record<string, unknown>>
  | readonly unknown[]
  | typeof ABSENT;

/** How often each kind of damage is done to an optional field that has a value. */
export interface MessRates {
  /** The field is left out. */
  readonly absent: number;
  /** The field is `null`. */
  readonly nulls: number;
  /** The field is `""` or blanks. */
  readonly empty: number;
  /** The field holds a value of the wrong type (an object, a boolean, a currency string). */
  readonly wrongType: number;
}

/** About 4% of optional fields damaged: what client feeds look like on a good day. */
export const DEFAULT_MESS_RATES: MessRates = { absent: 0.01, nulls: 0.015, empty: 0.01, wrongType: 0.005 };

/**
 * Renders clean values the way real clients send them (CONTRACT.md "What real clients send"):
 * numbers as numbers or strings, ids as strings or numbers, the three date formats, and a
 * share of missing, null, empty and wrongly typed fields. One instance per generated data set.
 */
export class MessyValues {
  constructor(
    private readonly rng: Random,
    private readonly rates: MessRates = DEFAULT_MESS_RATES,
  ) {}

  /** An id: `"309366"` or `309366`. */
  id(n: number): string | number {
    return this.rng.chance(0.7) ? String(n) : n;
  }

  /** Free text; `undefined` means the value is missing (null, absent or empty). */
  text(value: string | undefined): RawValue {
    if (value === undefined) return this.missing();
    return this.damage() ?? (this.rng.chance(0.03) ? ` ${value} ` : value);
  }

  /** An amount, as a number or one of the string forms clients use. */
  amount(value: number | undefined): RawValue {
    if (value === undefined) return this.missing();
    const damaged = this.damage(() =>
      this.rng.pick([`$${value.toFixed(2)}`, `USD ${value.toFixed(2)}`, true, {}]),
    );
    if (damaged !== undefined) return damaged;
    const r = this.rng.next();
    if (r < 0.4) return value;
    if (r < 0.8) return value.toFixed(2);
    if (Number.isInteger(value)) return `${value}.0`;
    if (Math.abs(value) >= 1000 && r < 0.9)
      return value.toLocaleString('en-US', { minimumFractionDigits: 2 });
    return String(value);
  }

  /**
   * A point in time such as `generated_at_budget`, in one of the contract's formats. `offsetMinutes` is
   * the client's UTC offset in minutes, used when it writes local time with an offset.
   */
  instant(ms: number | undefined, offsetMinutes: number): RawValue {
    if (ms === undefined) return this.missing();
    const damaged = this.damage(() => this.rng.pick([usDate(ms), ms, {}]));
    if (damaged !== undefined) return damaged;
    const iso = new Date(ms).toISOString();
    return this.rng.weighted<() => string>([
      [() => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`, 65],
      [() => `${iso.slice(0, 19)}Z`, 10],
      [() => iso, 5],
      [() => withOffset(ms, offsetMinutes), 12],
      // A client that keeps only the date keeps its own, local, date.
      [() => withOffset(ms, offsetMinutes).slice(0, 10), 8],
    ])();
  }

  /**
   * A calendar date such as a card transaction date (`day` from `localDay`): `"2017-04-08 00:00:00"`
   * mostly, or bare, or ISO at midnight with `Z` or the client's offset.
   */
  calendarDate(day: number | undefined, offsetMinutes: number): RawValue {
    if (day === undefined) return this.missing();
    const damaged = this.damage(() => this.rng.pick([usDate(day), day, false]));
    if (damaged !== undefined) return damaged;
    const date = isoDate(day);
    return this.rng.weighted<string>([
      [`${date} 00:00:00`, 70],
      [date, 15],
      [`${date}T00:00:00Z`, 5],
      [`${date}T00:00:00${offsetText(offsetMinutes)}`, 10],
    ]);
  }

  /** A value that is not there, in one of the ways clients say so. */
  missing(): RawValue {
    return this.rng.weighted<RawValue>([
      [null, 45],
      [ABSENT, 35],
      ['', 15],
      ['  ', 5],
    ]);
  }

  private damage(
    wrong: () => RawValue = () => this.rng.pick<RawValue>([{}, true, 0, ['x']]),
  ): RawValue | undefined {
    const { absent, nulls, empty, wrongType } = this.rates;
    const r = this.rng.next();
    if (r < absent) return ABSENT;
    if (r < absent + nulls) return null;
    if (r < absent + nulls + empty) return '';
    if (r < absent + nulls + empty + wrongType) return wrong();
    return undefined;
  }
}

/**
 * A record with its {@link ABSENT} fields left out.
 *
 * @example withoutAbsent({ a: 1, b: ABSENT }) // { a: 1 }
 */
export function withoutAbsent(fields: Readonly<Record<string, RawValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== ABSENT) out[key] = value;
  return out;
}

function withOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  return `${local.slice(0, 19)}${offsetText(offsetMinutes)}`;
}

function offsetText(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

// A format outside the contract: parsed as missing by serving, as it must be.
function usDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${Math.floor((ms % (24 * HOUR_MS)) / HOUR_MS)}:00`;
}
