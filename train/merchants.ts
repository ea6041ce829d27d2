import type { ExpensePurpose } from './expense-types';
import type { BookingKind } from './vendors';

/**
 * Card-statement names of the merchants behind everyday expenses (the negatives of every
 * budget). A `#` is replaced by a store number when the descriptor is made.
 */
export const EVERYDAY_MERCHANTS: Readonly<Partial<Record<ExpensePurpose, readonly string[]>>> = {
  taxi: [
    'UBER *TRIP',
    'UBER   *TRIP',
    'UBER *TRIP HELP.UBER.COM',
    'LYFT *RIDE',
    'LYFT   *RIDE SUN 4PM',
    'YELLOW CAB',
    'taxi',
    'CURB NYC TAXI',
    'G7 TAXI',
    'FREENOW',
    'BOLT.EU/O/#',
    'Uber',
  ],
  meals: [
    'STARBUCKS STORE #',
    'Pappas Bros Steakhouse',
    'CHIPOTLE #',
    'PRET A MANGER',
    'HUDSON NEWS #',
    'LE PETIT BISTRO',
    "MCDONALD'S F#",
    'PANERA BREAD ##',
    'SHAKE SHACK',
    'TST* THE FARMHOUSE',
    'SQ *BLUE BOTTLE COFFEE',
    'PAUL BOULANGERIE',
    'Café de Flore',
    'DOORDASH*DINNER',
    'UBER *EATS',
    'Brasserie Lipp',
  ],
  parking: [
    'SFO PARKING',
    'LAZ PARKING #',
    'ABM PARKING',
    'AIRPORT PARKING',
    'SP+ PARKING',
    'PARKWHIZ',
    'INDIGO PARKING',
    'Q-PARK',
  ],
  fuel: ['SHELL OIL #', 'CHEVRON #', 'EXXONMOBIL #', 'BP#', 'TOTALENERGIES', 'ARAL STATION'],
  wifi: ['GOGOAIR.COM', 'BOINGO WIRELESS', 'VIASAT IN-FLIGHT WIFI', 'PANASONIC AVIONICS'],
  office: [
    'STAPLES #',
    'FEDEX OFFICE #',
    'AMZN MKTP US',
    'APPLE.COM/BILL',
    'BEST BUY #',
    'OFFICE DEPOT #',
    'ADOBE *ACROPRO',
  ],
  conference: ['CVENT* REGISTRATION', 'REGONLINE', 'MEETUP.COM', 'AWS EVENTS', 'SXSW REGISTRATION'],
};

/**
 * Vendor texts that name no merchant, by what the charge paid for: what an item carries when the
 * card feed or the traveller gave up ("AIRLINE TICKET", "CORPORATE TRAVEL").
 */
export const GENERIC_VENDOR_TEXTS: Readonly<Record<BookingKind, readonly string[]>> = {
  flight: ['AIRLINE TICKET', 'Airline', 'AIR TRAVEL', 'TRAVEL', 'CORPORATE TRAVEL', 'N/A'],
  hotel: ['HOTEL', 'Hotel', 'LODGING', 'TRAVEL', 'CORPORATE TRAVEL', 'unknown'],
  car: ['CAR RENTAL', 'Rental car', 'TRAVEL', 'CORPORATE TRAVEL'],
  rail: ['TRAIN TICKET', 'Rail', 'TRAVEL', 'CORPORATE TRAVEL'],
  bus: ['BUS TICKET', 'TRAVEL', 'N/A', 'Corporate Card'],
  ferry: ['FERRY', 'TRAVEL', 'N/A', 'Corporate Card'],
  parking: ['PARKING', 'TRAVEL', 'N/A', 'Corporate Card'],
  conference: ['REGISTRATION', 'N/A', 'unknown', 'Corporate Card'],
  visa: ['VISA SERVICE', 'N/A', 'unknown', 'Corporate Card'],
};
