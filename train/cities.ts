/** Where simulated travellers live and travel to. */
export type Region = 'americas' | 'europe';

/** A city: its name as card statements print it, its region and its standard UTC offset. */
export interface City {
  readonly name: string;
  /** State or country code that acquirers append ("SAN FRANCISCO CA"). */
  readonly code: string;
  readonly region: Region;
  /** Standard-time offset from UTC in minutes (New York −300); see {@link utcOffsetMinutes}. */
  readonly standardOffset: number;
}

export const CITIES: readonly City[] = [
  { name: 'New York', code: 'NY', region: 'americas', standardOffset: -300 },
  { name: 'Boston', code: 'MA', region: 'americas', standardOffset: -300 },
  { name: 'Atlanta', code: 'GA', region: 'americas', standardOffset: -300 },
  { name: 'Miami', code: 'FL', region: 'americas', standardOffset: -300 },
  { name: 'Toronto', code: 'ON', region: 'americas', standardOffset: -300 },
  { name: 'Montréal', code: 'QC', region: 'americas', standardOffset: -300 },
  { name: 'Chicago', code: 'IL', region: 'americas', standardOffset: -360 },
  { name: 'Dallas', code: 'TX', region: 'americas', standardOffset: -360 },
  { name: 'Houston', code: 'TX', region: 'americas', standardOffset: -360 },
  { name: 'Denver', code: 'CO', region: 'americas', standardOffset: -420 },
  { name: 'Phoenix', code: 'AZ', region: 'americas', standardOffset: -420 },
  { name: 'San Francisco', code: 'CA', region: 'americas', standardOffset: -480 },
  { name: 'Los Angeles', code: 'CA', region: 'americas', standardOffset: -480 },
  { name: 'Seattle', code: 'WA', region: 'americas', standardOffset: -480 },
  { name: 'Vancouver', code: 'BC', region: 'americas', standardOffset: -480 },
  { name: 'London', code: 'GB', region: 'europe', standardOffset: 0 },
  { name: 'Paris', code: 'FR', region: 'europe', standardOffset: 60 },
  { name: 'Lyon', code: 'FR', region: 'europe', standardOffset: 60 },
  { name: 'Berlin', code: 'DE', region: 'europe', standardOffset: 60 },
  { name: 'München', code: 'DE', region: 'europe', standardOffset: 60 },
  { name: 'Frankfurt', code: 'DE', region: 'europe', standardOffset: 60 },
  { name: 'Amsterdam', code: 'NL', region: 'europe', standardOffset: 60 },
  { name: 'Bruxelles', code: 'BE', region: 'europe', standardOffset: 60 },
  { name: 'Zürich', code: 'CH', region: 'europe', standardOffset: 60 },
  { name: 'Madrid', code: 'ES', region: 'europe', standardOffset: 60 },
  { name: 'Barcelona', code: 'ES', region: 'europe', standardOffset: 60 },
  { name: 'Milano', code: 'IT', region: 'europe', standardOffset: 60 },
  { name: 'Roma', code: 'IT', region: 'europe', standardOffset: 60 },
];

/** Cities of one region. */
export function citiesIn(region: Region): readonly City[] {
  return CITIES.filter((c) => c.region === region);
}

/**
 * The city's UTC offset in minutes at `instant`. Summer time is approximated as April to
 * October on both sides of the Atlantic: close enough to put evening bookings on the right
 * local day, which is what the generator needs it for.
 */
export function utcOffsetMinutes(city: City, instant: number): number {
  const month = new Date(instant).getUTCMonth();
  return city.standardOffset + (month >= 3 && month <= 9 ? 60 : 0);
}
