import type { City } from './cities';
import type { GeneratorConfig, SliceName } from './eval-config';
import type { ExpensePurpose } from './expense-types';
import type { Random } from './random';
import type { BookingKind, Brand, Merchant, VendorSet } from './vendors';

/** Which vendors, slices and descriptor styles a simulation draws from. */
export interface SimulationOptions {
  readonly vendorSet: VendorSet;
  readonly generator: GeneratorConfig;
}

/** One budget as the generator knows it: clean values, before they are rendered messily. */
export interface SimBudget {
  readonly kind: BookingKind;
  /** The slice of the evaluation this budget (and every pair of it) belongs to (train/eval-config.ts). */
  readonly slice: SliceName;
  /** The budget type as the client writes it ("Flight", "HOTEL", "bus"); undefined: not sent. */
  readonly typeText: string | undefined;
  /** The type text names no known type ("Misc", "Travel") or is missing. */
  readonly typeUnknown: boolean;
  readonly brand: Brand;
  readonly travelVendor: string | undefined;
  readonly purchaseVendor: string | undefined;
  /** The agency it was bought through, when not bought from the brand. */
  readonly agency: Merchant | undefined;
  readonly bookedAt: number;
  readonly tripStart: number;
  readonly tripEnd: number;
  readonly price: number | undefined;
  readonly actualCost: number | undefined;
  /** What the booking really cost; its charge follows this even when `actualCost` is missing. */
  readonly trueCost: number;
  readonly home: City;
  readonly destination: City;
}

/** What a line item is, for labels and for the tests; only `booking-charge` is a match. */
export type ItemKind =
  | 'booking-charge'
  | 'refund'
  | 'airline-fee'
  | 'seat-upgrade'
  | 'hotel-incidental'
  | 'taxi'
  | 'meals'
  | 'parking'
  | 'fuel'
  | 'wifi'
  | 'conference'
  | 'look-alike'
  | 'untracked-booking'
  | 'background';

/** One line item as the generator knows it. */
export interface SimItem {
  readonly kind: ItemKind;
  /** Index of the budget this item is the charge for, or −1. */
  readonly budget: number;
  /** Signed amount (refunds are negative). */
  readonly amount: number | undefined;
  /** The local calendar day the card statement prints (see `localDay`). */
  readonly day: number | undefined;
  readonly vendor: string | undefined;
  readonly type: string | undefined;
  readonly category: string | undefined;
  readonly expenseType: string | undefined;
  readonly expenseCategory: string | undefined;
}

/** A simulated traveller: where they live, their budgets and every line item they expensed. */
export interface SimUser {
  readonly home: City;
  readonly budgets: SimBudget[];
  readonly items: SimItem[];
}

/** One trip's dates, shared by all its budgets (trip start and end are trip-level fields). */
export interface Trip {
  readonly destination: City;
  readonly startDay: number;
  readonly endDay: number;
  /** Indices of this trip's budgets in `SimUser.budgets`. */
  readonly budgets: number[];
}

/** Everything the item generators need to know about a user being simulated. */
export interface UserContext {
  readonly rng: Random;
  readonly options: SimulationOptions;
  readonly user: SimUser;
  readonly trips: Trip[];
  readonly preferredAirline: Brand;
}

/** The purpose of a booking's own charge. */
export function purposeOf(budget: SimBudget): ExpensePurpose {
  return budget.kind;
}
