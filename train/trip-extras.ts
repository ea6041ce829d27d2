import { DAY_MS, localDay } from './calendar';
import { utcOffsetMinutes } from './cities';
import { describeMerchant } from './descriptors';
import { expenseTexts } from './expense-texts';
import type { ExpensePurpose } from './expense-types';
import { EVERYDAY_MERCHANTS } from './merchants';
import { cents } from './money';
import type { Random } from './random';
import {
  type ItemKind,
  purposeOf,
  type SimBudget,
  type SimItem,
  type Trip,
  type UserContext,
} from './sim-types';
import { brandsFor } from './vendors';

const EVERYDAY_NOISE = { missing: 0.04, generic: 0.04 } as const;

/**
 * Adds the expenses of a trip that are NOT the charge of any of its budgets: taxis and meals
 * during the trip, airport parking, fuel; and the hard negatives that share a vendor, a
 * category, an amount or a date with a budget: airline bag fees and seat upgrades, hotel
 * incidentals on the hotel's descriptor, refunds of the booking, and look-alike charges of
 * about the booking's amount from another merchant.
 */
export function addTripExtras(context: UserContext, trip: Trip): void {
  const { rng, user } = context;
  const tripDays = Math.round((trip.endDay - trip.startDay) / DAY_MS);
  const dayInTrip = () => trip.startDay + rng.int(0, tripDays) * DAY_MS;
  const americas = trip.destination.region === 'americas';
  for (let n = rng.int(0, americas ? 3 : 2); n > 0; n--)
    everyday(context, 'taxi', rng.logUniform(8, 90), dayInTrip());
  for (let n = rng.int(0, 4); n > 0; n--) everyday(context, 'meals', rng.logUniform(6, 160), dayInTrip());

  const budgets = trip.budgets.flatMap((i) => user.budgets[i] ?? []);
  const flies = budgets.some((b) => b.kind === 'flight');
  if (flies && user.home.region === 'americas' && rng.chance(0.25)) {
    everyday(context, 'parking', rng.int(12, 35) * (tripDays + 1), trip.endDay);
  }
  if (flies && rng.chance(0.06)) everyday(context, 'wifi', rng.pick([8, 19, 29, 49]), trip.startDay);
  for (const budget of budgets) {
    if (budget.kind === 'flight' && rng.chance(0.3)) {
      const suffix = rng.pick(['', '', ' BAG FEE', ' EMD']);
      push(
        context,
        'airline-fee',
        'airline-fee',
        rng.pick([30, 35, 40, 45, 60, 70, 75, 100]),
        rng.pick([trip.startDay, trip.endDay]),
        {
          vendor: `${describeMerchant(rng, budget.brand, user.home, context.options.generator.plainDescriptors)}${suffix}`,
        },
      );
    }
    if (budget.kind === 'flight' && rng.chance(0.12)) {
      // Bought with the ticket or at check-in, and filed as airfare a third of the time.
      const purpose: ExpensePurpose = rng.chance(0.35) ? 'flight' : 'airline-fee';
      push(
        context,
        'seat-upgrade',
        purpose,
        rng.logUniform(19, 250),
        rng.chance(0.5) ? bookingDay(budget) : trip.startDay,
        {
          vendor: describeMerchant(rng, budget.brand, user.home, context.options.generator.plainDescriptors),
        },
      );
    }
    if (budget.kind === 'hotel' && rng.chance(0.15)) {
      // Itemised from the hotel folio, the expense level often still says "Hotel".
      const folio = rng.chance(0.5) ? { expenseType: 'Hotel', expenseCategory: 'lodging' } : {};
      push(context, 'hotel-incidental', 'hotel-incidental', rng.logUniform(12, 150), trip.endDay, {
        vendor: describeMerchant(
          rng,
          budget.brand,
          trip.destination,
          context.options.generator.plainDescriptors,
        ),
        ...folio,
      });
    }
    if (budget.kind === 'car' && rng.chance(0.4))
      everyday(context, 'fuel', rng.logUniform(20, 80), trip.endDay);
    if (rng.chance(0.05)) addRefund(context, budget, trip);
  }
  const reference = budgets.length > 0 ? rng.pick(budgets) : undefined;
  if (reference && rng.chance(0.08)) {
    // A charge of about the booking's amount from another merchant and category.
    const purpose: ExpensePurpose = rng.pick(['office', 'conference']);
    const from = bookingDay(reference);
    const day = from + rng.int(0, Math.max(0, Math.round((trip.endDay - from) / DAY_MS))) * DAY_MS;
    everyday(context, purpose, reference.trueCost * rng.float(0.97, 1.03), day, 'look-alike');
  }
  if (rng.chance(0.07)) {
    everyday(
      context,
      'conference',
      rng.logUniform(150, 1200),
      trip.startDay - rng.int(0, 60) * DAY_MS,
      'conference',
    );
  }
}

/**
 * Adds a user's expenses unrelated to any budget: everyday background spending over the whole
 * period, and bookings of trips that have no budget (the same airline, months away).
 */
export function addUserExtras(context: UserContext): void {
  const { rng, user } = context;
  const windows = user.budgets.map((b) => [bookingDay(b) - 3 * DAY_MS, tripEndDay(b) + 10 * DAY_MS] as const);
  const first = Math.min(...windows.map(([from]) => from), Number.POSITIVE_INFINITY);
  const last = Math.max(...windows.map(([, to]) => to), Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(first) || !Number.isFinite(last)) return;
  const span = Math.round((last - first) / DAY_MS);

  for (let n = rng.int(0, 5); n > 0; n--) {
    const purpose: ExpensePurpose = rng.pick(['office', 'meals', 'mileage', 'taxi', 'fuel']);
    const amount = purpose === 'office' ? rng.logUniform(8, 1500) : rng.logUniform(6, 300);
    everyday(context, purpose, amount, first + rng.int(-120, span + 120) * DAY_MS, 'background');
  }
  if (!rng.chance(0.35)) return;
  for (let n = rng.int(1, 2); n > 0; n--) {
    // A booking months before or after every budget's window: a trip booked outside the tool.
    let day: number | undefined;
    for (let attempt = 0; attempt < 20 && day === undefined; attempt++) {
      const candidate = first + rng.int(-240, span + 240) * DAY_MS;
      if (windows.every(([from, to]) => candidate < from - 21 * DAY_MS || candidate > to + 21 * DAY_MS))
        day = candidate;
    }
    if (day === undefined) continue;
    const hotel = rng.chance(0.4);
    const brand = hotel
      ? rng.pick(brandsFor('hotel', user.home.region, context.options.vendorSet))
      : context.preferredAirline;
    const amount = rng.logUniform(brand.cost[0], brand.cost[1]) * (hotel ? rng.int(1, 4) : 1);
    push(context, 'untracked-booking', hotel ? 'hotel' : 'flight', amount, day, {
      vendor: describeMerchant(rng, brand, user.home, context.options.generator.plainDescriptors),
    });
  }
}

export function addRefund(context: UserContext, budget: SimBudget, trip: Trip): void {
  const { rng, user } = context;
  const share = rng.chance(0.5) ? 1 : rng.float(0.1, 0.6);
  const day = Math.min(bookingDay(budget) + rng.int(1, 45) * DAY_MS, trip.endDay + 20 * DAY_MS);
  push(context, 'refund', purposeOf(budget), -budget.trueCost * share, day, {
    vendor: describeMerchant(rng, budget.brand, user.home, context.options.generator.plainDescriptors),
  });
}

function everyday(
  context: UserContext,
  purpose: ExpensePurpose,
  amount: number,
  day: number,
  kind?: ItemKind,
): void {
  const { rng } = context;
  const names = EVERYDAY_MERCHANTS[purpose];
  const vendor = names && rng.chance(0.95) ? storeNumbers(rng, rng.pick(names)) : undefined;
  push(context, kind ?? everydayKind(purpose), purpose, amount, day, { vendor });
}

function everydayKind(purpose: ExpensePurpose): ItemKind {
  switch (purpose) {
    case 'taxi':
    case 'meals':
    case 'parking':
    case 'fuel':
    case 'wifi':
    case 'conference':
      return purpose;
    default:
      return 'background';
  }
}

function push(
  context: UserContext,
  kind: ItemKind,
  purpose: ExpensePurpose,
  amount: number,
  day: number,
  extra: {
    readonly vendor: string | undefined;
    readonly expenseType?: string;
    readonly expenseCategory?: string;
  },
): void {
  const item: SimItem = {
    kind,
    budget: -1,
    amount: cents(amount),
    day,
    ...expenseTexts(context.rng, purpose, EVERYDAY_NOISE),
    ...extra,
  };
  context.user.items.push(item);
}

function storeNumbers(rng: Random, name: string): string {
  return name.replace(/#+/g, () => rng.digits(rng.int(3, 5)));
}

function bookingDay(budget: SimBudget): number {
  return localDay(budget.bookedAt, utcOffsetMinutes(budget.home, budget.bookedAt));
}

function tripEndDay(budget: SimBudget): number {
  return localDay(budget.tripEnd, utcOffsetMinutes(budget.destination, budget.tripEnd));
}
