import { DAY_MS, HOUR_MS, localDay, localMidnight } from './calendar';
import { type City, citiesIn, type Region, utcOffsetMinutes } from './cities';
import { describeMerchant } from './descriptors';
import { SLICE_NAMES } from './eval-config';
import { type ExpenseTexts, expenseTexts, misfiledTexts } from './expense-texts';
import { GENERIC_VENDOR_TEXTS } from './merchants';
import { cents } from './money';
import type { Random } from './random';
import {
  purposeOf,
  type SimBudget,
  type SimItem,
  type SimUser,
  type SimulationOptions,
  type Trip,
  type UserContext,
} from './sim-types';
import { addRefund, addTripExtras, addUserExtras } from './trip-extras';
import { agenciesFor, type BookingKind, type Brand, brandsFor, EXTRA_KINDS } from './vendors';

const FIRST_DAY = Date.UTC(2016, 0, 1);
const LAST_DAY = Date.UTC(2024, 5, 30);

type Weights = ReadonlyArray<readonly [number, number]>;

// Days from the event (booking, checkout, car return) to the date the charge posts, by weight.
const TICKET_POSTING: Weights = [
  [0, 88],
  [1, 12],
];
const PREPAID_POSTING: Weights = [
  [0, 85],
  [1, 15],
];
const CHECKOUT_POSTING: Weights = [
  [0, 60],
  [1, 25],
  [2, 10],
  [3, 5],
];
const RETURN_POSTING: Weights = [
  [0, 70],
  [1, 20],
  [2, 10],
];

const TYPE_TEXTS: Readonly<Record<BookingKind, ReadonlyArray<readonly [string, number]>>> = {
  bus: [
    ['bus', 50],
    ['Bus', 20],
    ['Coach', 10],
    ['BUS', 8],
  ],
  ferry: [
    ['ferry', 50],
    ['Ferry', 20],
    ['FERRY', 8],
    ['Boat', 5],
  ],
  parking: [
    ['parking', 50],
    ['Parking', 20],
    ['Airport Parking', 10],
  ],
  conference: [
    ['Conference', 40],
    ['conference', 20],
    ['Registration', 15],
    ['Event', 10],
    ['Conference Fee', 8],
  ],
  visa: [
    ['visa', 45],
    ['Visa', 25],
    ['Visa Fee', 10],
    ['Travel Documents', 8],
  ],
  flight: [
    ['flight', 50],
    ['Flight', 16],
    ['FLIGHT', 8],
    ['air', 5],
    ['Air', 5],
    ['airfare', 4],
  ],
  hotel: [
    ['hotel', 50],
    ['Hotel', 18],
    ['HOTEL', 8],
    ['lodging', 5],
    ['Accommodation', 3],
  ],
  car: [
    ['car', 50],
    ['Car', 16],
    ['CAR', 8],
    ['rental car', 5],
    ['Car Rental', 5],
  ],
  rail: [
    ['rail', 50],
    ['Rail', 14],
    ['RAIL', 6],
    ['train', 8],
    ['Train', 6],
  ],
};

/**
 * Simulates one traveller: 1–6 trips, each with its budgets (flight or rail, hotel, car,
 * sometimes an "other" booking), the charge of each booking, and the expenses around them that
 * are not the charge of any budget (taxis, meals, fees, refunds, look-alikes...).
 */
export function simulateUser(rng: Random, options: SimulationOptions): SimUser {
  const region: Region = rng.chance(0.7) ? 'americas' : 'europe';
  const home = rng.pick(citiesIn(region));
  const user: SimUser = { home, budgets: [], items: [] };
  const context: UserContext = {
    rng,
    options,
    user,
    trips: [],
    preferredAirline: rng.pick(brandsFor('flight', region, options.vendorSet)),
  };
  const tripCount = rng.weighted([
    [1, 15],
    [2, 25],
    [3, 25],
    [4, 15],
    [5, 10],
    [6, 10],
  ]);
  let startDay = FIRST_DAY + rng.int(0, (LAST_DAY - FIRST_DAY) / DAY_MS) * DAY_MS;
  for (let t = 0; t < tripCount; t++) {
    context.trips.push(addTrip(context, startDay));
    // Trips may start before the previous one's charges post: their windows then overlap.
    startDay += rng.int(5, 75) * DAY_MS;
  }
  addUserExtras(context);
  rng.shuffle(user.items);
  return user;
}

function addTrip(context: UserContext, startDay: number): Trip {
  const { rng, user } = context;
  const home = user.home;
  const international = rng.chance(0.2);
  const abroad: Region = home.region === 'americas' ? 'europe' : 'americas';
  const destRegion = international ? abroad : home.region;
  const destination = rng.pick(citiesIn(destRegion).filter((c) => c !== home));
  const nights = rng.weighted([
    [0, 8],
    [1, 22],
    [2, 25],
    [3, 20],
    [4, 10],
    [5, 6],
    [6, 5],
    [8, 4],
  ]);
  const trip: Trip = { destination, startDay, endDay: startDay + nights * DAY_MS, budgets: [] };
  const lead = Math.max(1, Math.round(rng.logUniform(1, 75)));
  const firstBooking = bookingInstant(rng, startDay - lead * DAY_MS, home);

  const travelMode: BookingKind =
    !international && destRegion === 'europe'
      ? rng.weighted<BookingKind>([
          ['flight', 55],
          ['rail', 45],
        ])
      : international
        ? 'flight'
        : rng.weighted<BookingKind>([
            ['flight', 90],
            ['rail', 7],
            ['bus', 3],
          ]);
  if (travelMode === 'flight' && rng.chance(0.12)) {
    // Two one-way tickets, sometimes on different airlines: hard negatives for each other.
    // Each leg is its own budget with its own travel day; the return is booked in the same
    // session half the time, otherwise some days later (before the trip).
    const out = addBudget(context, trip, 'flight', firstBooking, {
      share: rng.float(0.35, 0.65),
      window: { startDay: trip.startDay, endDay: trip.startDay },
    });
    const otherAirline = rng.chance(0.4);
    const returnBooked = rng.chance(0.5)
      ? firstBooking + rng.int(2, 40) * 60_000
      : firstBooking + rng.int(1, Math.max(1, Math.min(10, lead - 1))) * DAY_MS;
    addBudget(context, trip, 'flight', returnBooked, {
      share: 1 - out.share,
      window: { startDay: trip.endDay, endDay: trip.endDay },
      ...(otherAirline ? {} : { brand: out.budget.brand }),
    });
  } else if (rng.chance(0.95)) {
    addBudget(context, trip, travelMode, firstBooking, {});
  }
  if (nights > 0 && rng.chance(0.8))
    addBudget(context, trip, 'hotel', laterBooking(rng, firstBooking, trip), {});
  const carRate = destRegion === 'americas' ? 0.35 : 0.12;
  if (rng.chance(carRate)) addBudget(context, trip, 'car', laterBooking(rng, firstBooking, trip), {});
  if (rng.chance(0.05))
    addBudget(context, trip, rng.pick(EXTRA_KINDS), laterBooking(rng, firstBooking, trip), {});
  addTripExtras(context, trip);
  return trip;
}

interface BudgetChoices {
  /** Fraction of a round trip's cost (one-way tickets). */
  readonly share?: number;
  readonly brand?: Brand;
  /** The budget's own travel days, when not the trip's (one-way legs). */
  readonly window?: { readonly startDay: number; readonly endDay: number };
}

function addBudget(
  context: UserContext,
  trip: Trip,
  requestedKind: BookingKind,
  bookedAt: number,
  choices: BudgetChoices,
): { budget: SimBudget; share: number } {
  const { rng, user, options } = context;
  const { destination } = trip;
  const slice = rng.weighted(SLICE_NAMES.map((name) => [name, options.generator.sliceShares[name]] as const));
  // The other-type slice: a kind beyond the big four, or a type text that names none.
  let kind = requestedKind;
  let typeUnknown = false;
  if (slice === 'other_budget_type') {
    if (choices.brand === undefined && choices.share === undefined && rng.chance(0.55))
      kind = rng.pick(EXTRA_KINDS);
    else typeUnknown = true;
  }
  const brand = choices.brand ?? chooseBrand(context, kind, destination);
  const window = choices.window ?? trip;
  const nights = Math.max(1, Math.round((trip.endDay - trip.startDay) / DAY_MS));
  const share = choices.share ?? 1;
  const international = destination.region !== user.home.region;
  let trueCost = rng.logUniform(brand.cost[0], brand.cost[1]) * share;
  if (kind === 'hotel') trueCost *= nights;
  if (kind === 'car') trueCost *= nights + (rng.chance(0.5) ? 1 : 0);
  if (kind === 'flight' && international) trueCost *= 1.8;
  trueCost = cents(trueCost);
  // The budgeted price is an estimate made before booking; often whole.
  const estimate = trueCost * rng.float(0.9, 1.15);
  const price = rng.chance(0.04) ? undefined : rng.chance(0.3) ? Math.round(estimate) : cents(estimate);
  const actualCost = rng.chance(0.82) ? trueCost : undefined;
  const agencyRate = EXTRA_KINDS.includes(kind) ? 0.05 : slice === 'vendor_descriptor' ? 0.45 : 0.25;
  const agency = rng.chance(agencyRate) ? rng.pick(agenciesFor(options.vendorSet)) : undefined;
  const travelVendor = rng.weighted<string | undefined>([
    [brand.name, 80],
    [brand.alsoBookedAs.length > 0 ? rng.pick(brand.alsoBookedAs) : brand.name, 14],
    [undefined, 6],
  ]);
  const purchaseVendor = agency
    ? agency.name
    : rng.weighted<string | undefined>([
        [travelVendor ?? brand.name, 85],
        [undefined, 15],
      ]);
  const budget: SimBudget = {
    kind,
    slice,
    typeText: typeUnknown ? unknownTypeText(rng) : rng.weighted(TYPE_TEXTS[kind]),
    typeUnknown,
    brand,
    travelVendor,
    purchaseVendor,
    agency,
    bookedAt,
    tripStart: localMidnight(window.startDay, utcOffsetMinutes(destination, window.startDay)),
    tripEnd: localMidnight(window.endDay, utcOffsetMinutes(destination, window.endDay)),
    price,
    actualCost,
    trueCost,
    home: user.home,
    destination,
  };
  const index = user.budgets.push(budget) - 1;
  trip.budgets.push(index);
  // Some bookings are never expensed (paid centrally, or the traveller forgot).
  if (rng.chance(0.93)) {
    for (const charge of bookingCharges(context, budget, index)) user.items.push(charge);
  }
  // A refund of the booking (not its charge): the amount-drift slice's hard negative.
  if (slice === 'amount_drift' && rng.chance(0.3)) addRefund(context, budget, trip);
  return { budget, share };
}

/** A type text that names no type ("Misc", "Travel"), or none at all. */
function unknownTypeText(rng: Random): string | undefined {
  return rng.weighted<string | undefined>([
    [undefined, 40],
    ['Travel', 14],
    ['other', 14],
    ['Misc', 12],
    ['Booking', 10],
    ['Reservation', 10],
  ]);
}

function chooseBrand(context: UserContext, kind: BookingKind, destination: City): Brand {
  const { rng, user, options, preferredAirline } = context;
  if (kind === 'flight') {
    if (rng.chance(0.6)) return preferredAirline;
    const region = rng.chance(0.7) ? user.home.region : destination.region;
    return rng.pick(brandsFor('flight', region, options.vendorSet));
  }
  return rng.pick(brandsFor(kind, destination.region, options.vendorSet));
}

/** What a slice takes away from a booking charge (the missing-field slice). */
type MissingField = 'amount' | 'date' | 'vendor' | undefined;

/**
 * The charge(s) of a booking, as its slice makes them: one, or two parts of about half each (a
 * split charge in the amount-drift slice), every one a match for the budget.
 */
function bookingCharges(context: UserContext, budget: SimBudget, index: number): SimItem[] {
  const { rng } = context;
  const purpose = purposeOf(budget);
  const missing: MissingField =
    budget.slice === 'missing_field'
      ? rng.weighted<MissingField>([
          ['amount', 35],
          ['date', 35],
          ['vendor', 30],
        ])
      : undefined;
  const texts = (): ExpenseTexts =>
    budget.slice === 'misfiled_category'
      ? misfiledTexts(rng, purpose)
      : // Booking charges are categorised a little worse than everyday items: card feeds guess.
        expenseTexts(rng, purpose, { missing: 0.04, generic: 0.04 });
  const day = chargeDay(rng, budget);
  const charge = (amount: number, on: number): SimItem => ({
    kind: 'booking-charge',
    budget: index,
    amount: missing === 'amount' ? undefined : amount,
    day: missing === 'date' ? undefined : on,
    vendor: missing === 'vendor' ? undefined : chargeVendor(context, budget),
    ...texts(),
  });
  if (budget.slice === 'amount_drift' && rng.chance(0.3)) {
    // Split in two: two legs charged apart, or a deposit and the balance.
    const part = rng.float(0.42, 0.58);
    return [
      charge(cents(budget.trueCost * part), day),
      charge(cents(budget.trueCost * (1 - part)), day + rng.int(0, 3) * DAY_MS),
    ];
  }
  return [charge(chargeAmount(rng, budget), day)];
}

function chargeAmount(rng: Random, budget: SimBudget): number {
  const cost = budget.trueCost;
  const { kind } = budget;
  if (budget.slice === 'amount_drift') {
    return cents(
      rng.weighted<() => number>([
        // A fare change or a rebooking at another rate before the charge.
        [() => cost * (rng.chance(0.5) ? rng.float(0.8, 0.93) : rng.float(1.07, 1.3)), 35],
        // Taxes, resort and facility fees, fuel and insurance at the counter.
        [() => cost * rng.float(1.05, 1.25), 35],
        // Charged in another currency and converted at the card's rate (and its fee).
        [() => cost * rng.float(0.92, 1.08), 30],
      ])(),
    );
  }
  const amount = rng.weighted<() => number>([
    [() => cost, kind === 'hotel' ? 45 : kind === 'car' ? 35 : 80],
    [() => cost * rng.float(1.02, 1.12), kind === 'hotel' ? 35 : kind === 'car' ? 45 : 6],
    [() => cost * rng.float(0.98, 1.02), 10],
    [() => budget.price ?? cost, 5],
  ])();
  return cents(amount);
}

function chargeDay(rng: Random, budget: SimBudget): number {
  const day = expectedChargeDay(rng, budget);
  if (budget.slice !== 'date_shift') return day;
  // A day off (the merchant's time zone against the booking's), or posted days later.
  return rng.chance(0.45) ? day + (rng.chance(0.5) ? -1 : 1) * DAY_MS : day + rng.int(3, 12) * DAY_MS;
}

function expectedChargeDay(rng: Random, budget: SimBudget): number {
  const bookingDay = localDay(budget.bookedAt, utcOffsetMinutes(budget.home, budget.bookedAt));
  const endDay = localDay(budget.tripEnd, utcOffsetMinutes(budget.destination, budget.tripEnd));
  const after = (day: number, posting: Weights) => day + rng.weighted(posting) * DAY_MS;
  if (budget.kind === 'hotel') {
    const prepaid = budget.brand.name === 'Airbnb' || budget.agency !== undefined || rng.chance(0.25);
    return prepaid ? after(bookingDay, PREPAID_POSTING) : after(endDay, CHECKOUT_POSTING);
  }
  if (budget.kind === 'car' && rng.chance(0.8)) return after(endDay, RETURN_POSTING);
  // Parking paid at the exit barrier half the time.
  if (budget.kind === 'parking' && rng.chance(0.5)) return after(endDay, RETURN_POSTING);
  // Tickets are charged when bought, on the merchant's local date.
  return after(bookingDay, TICKET_POSTING);
}

function chargeVendor(context: UserContext, budget: SimBudget): string | undefined {
  const { rng, options } = context;
  const city = budget.kind === 'hotel' || budget.kind === 'car' ? budget.destination : budget.home;
  if (budget.slice === 'vendor_descriptor')
    return describeMerchant(rng, budget.brand, city, options.generator.noisyDescriptors, budget.agency);
  const source = rng.weighted<'brand' | 'agency' | 'missing' | 'generic'>([
    ['brand', budget.agency ? 60 : 94],
    ['agency', budget.agency ? 34 : 0],
    ['missing', 3],
    ['generic', 3],
  ]);
  const plain = options.generator.plainDescriptors;
  if (source === 'brand') return describeMerchant(rng, budget.brand, city, plain);
  if (source === 'agency' && budget.agency) return describeMerchant(rng, budget.agency, city, plain);
  if (source === 'generic') return rng.pick(GENERIC_VENDOR_TEXTS[budget.kind]);
  return undefined;
}

/** A booking made on `day` (local) at a realistic local hour, as a UTC instant. */
function bookingInstant(rng: Random, day: number, home: City): number {
  const hour = rng.weighted([
    [rng.int(0, 6), 6],
    [rng.int(7, 11), 30],
    [rng.int(12, 17), 34],
    [rng.int(18, 23), 30],
  ]);
  const local = day + hour * HOUR_MS + rng.int(0, 3599) * 1000;
  return local - utcOffsetMinutes(home, day) * 60_000;
}

/** The hotel or car of a trip: booked in the same session, or some days later. */
function laterBooking(rng: Random, firstBooking: number, trip: Trip): number {
  if (rng.chance(0.6)) return firstBooking + rng.int(3, 90) * 60_000;
  const room = Math.floor((trip.startDay - firstBooking) / DAY_MS) - 1;
  return firstBooking + Math.max(0, rng.int(0, Math.max(0, room))) * DAY_MS + rng.int(0, 12) * HOUR_MS;
}
