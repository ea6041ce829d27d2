import type { Region } from './cities';

/** What a budget books: the big four, and the kinds beyond them (issue 12). */
export type BookingKind =
  | 'flight'
  | 'hotel'
  | 'car'
  | 'rail'
  | 'bus'
  | 'ferry'
  | 'parking'
  | 'conference'
  | 'visa';

/** The kinds beyond flight, hotel, car and rail. */
export const EXTRA_KINDS: readonly BookingKind[] = ['bus', 'ferry', 'parking', 'conference', 'visa'];

/** Which brands a generated data set may use (see {@link Brand.heldOut}). */
export type VendorSet = 'training' | 'held-out' | 'all';

/** A merchant as it appears on receipts and card statements. */
export interface Merchant {
  /** How booking tools and e-receipts write it, accents included. */
  readonly name: string;
  /** Other names a booking tool may record for it. */
  readonly alsoBookedAs: readonly string[];
  /** Card-statement forms: upper case, accents dropped, abbreviated, run together. */
  readonly statement: readonly string[];
  readonly regions: readonly Region[];
  /**
   * Held-out brands appear only in the unseen-vendor evaluation set, never in training data, so
   * that its metrics say how the model does on vendors it has never seen.
   */
  readonly heldOut: boolean;
}

/** A travel brand that budgets are booked with. */
export interface Brand extends Merchant {
  readonly kind: BookingKind;
  /** IATA accounting prefix of the airline's ticket numbers ("526" is Southwest). */
  readonly ticketPrefix?: string;
  /** Typical cost in dollars or euros: per trip for flights, rail and other; per night or day for hotels and cars. */
  readonly cost: readonly [number, number];
}

const AM: readonly Region[] = ['americas'];
const EU: readonly Region[] = ['europe'];
const BOTH: readonly Region[] = ['americas', 'europe'];

type BrandRow = readonly [
  name: string,
  kind: BookingKind,
  regions: readonly Region[],
  heldOut: boolean,
  statement: readonly string[],
  cost: readonly [number, number],
  alsoBookedAs?: readonly string[],
  ticketPrefix?: string,
];

// Held-out brands were chosen so that each kind keeps both well-known chains and brands whose
// statement names share little with their booking names (DB VERTRIEB for Deutsche Bahn).
// biome-ignore format: one brand a line keeps the catalogue readable as a table.
const BRAND_ROWS: readonly BrandRow[] = [
  // Airlines.
  ['Southwest Airlines', 'flight', AM, false, ['SOUTHWEST AIR', 'SOUTHWEST AIRLINES', 'SWA*', 'SOUTHWESTAIR', 'SOUTHWES'], [79, 520], ['Southwest', 'SOUTHWEST AIRLINES CO'], '526'],
  ['Delta Air Lines', 'flight', AM, false, ['DELTA AIR', 'DELTA AIR LINES', 'DELTA', 'DL*DELTA AIR', 'DELTAAIR'], [120, 1400], ['Delta', 'Delta Airlines'], '006'],
  ['United Airlines', 'flight', AM, false, ['UNITED AIRLINES', 'UNITED AIR', 'UNITED', 'UNITEDAIRLINES'], [110, 1500], ['United'], '016'],
  ['American Airlines', 'flight', AM, false, ['AMERICAN AIR', 'AMERICAN AIRLINES', 'AA*AMERICAN', 'AMERICANAIR'], [100, 1400], ['American'], '001'],
  ['JetBlue Airways', 'flight', AM, false, ['JETBLUE', 'JETBLUE AIRWAYS', 'JETBLU', 'JETBLUE AIR'], [70, 700], ['JetBlue'], '279'],
  ['Spirit Airlines', 'flight', AM, false, ['SPIRIT AIRL', 'SPIRIT AIRLINES', 'SPIRIT AIR', 'NKS*SPIRIT'], [40, 350], ['Spirit'], '487'],
  ['Air Canada', 'flight', AM, false, ['AIR CANADA', 'AIRCANADA', 'AIR CAN', 'AC*AIR CANADA'], [150, 1300], [], '014'],
  ['WestJet', 'flight', AM, false, ['WESTJET', 'WESTJET AIR', 'WESTJET-AIRLINES'], [90, 700], ['WestJet Airlines'], '838'],
  ['Lufthansa', 'flight', BOTH, false, ['LUFTHANSA', 'DLH*LUFTHANSA', 'LUFTHANSA AG', 'DEUTSCHE LUFTHANSA'], [90, 1600], ['Deutsche Lufthansa'], '220'],
  ['British Airways', 'flight', BOTH, false, ['BRITISH AIRWAYS', 'BRITISH A', 'BRITISHAIRWAYS', 'BA BRITISH AIRWAYS'], [80, 1700], ['BA'], '125'],
  ['Iberia', 'flight', EU, false, ['IBERIA', 'IBERIA LAE', 'IBERIA LINEAS AEREAS'], [60, 900], ['Iberia Líneas Aéreas'], '075'],
  ['easyJet', 'flight', EU, false, ['EASYJET', 'EASYJET AIRLINE', 'EASYJET.COM'], [35, 300], ['easyJet Airline Company'], '888'],
  ['Alaska Airlines', 'flight', AM, true, ['ALASKA AIR', 'ALASKA AIRLINES', 'ALASKAAIR', 'ALASKA AIR IN'], [80, 650], ['Alaska Air'], '027'],
  ['Frontier Airlines', 'flight', AM, true, ['FRONTIER AIRLINES', 'FRONTIER AI', 'FRONTIER'], [40, 400], ['Frontier'], '422'],
  ['Air France', 'flight', BOTH, true, ['AIR FRANCE', 'AIRFRANCE', 'AF AIR FRANCE', 'AIR FRANCE KLM'], [90, 1500], ['Air France-KLM'], '057'],
  ['KLM Royal Dutch Airlines', 'flight', EU, true, ['KLM', 'KLM ROYAL DUTCH', 'KLM ROYAL DUTCH AIRL'], [80, 1300], ['KLM'], '074'],
  ['Swiss International Air Lines', 'flight', EU, true, ['SWISS INTL AIR', 'SWISS', 'SWISS INT AIR LINES'], [90, 1400], ['SWISS'], '724'],
  // Hotels (cost per night).
  ['Marriott', 'hotel', BOTH, false, ['MARRIOTT', 'MARRIOTT HOTELS', 'MAR*MARRIOTT', 'COURTYARD BY MARRIOTT', 'MARRIOT'], [140, 420], ['Marriott Hotels', 'Courtyard by Marriott']],
  ['Hilton', 'hotel', BOTH, false, ['HILTON', 'HILTON HOTELS', 'HILTON GARDEN INN', 'DOUBLETREE BY HILTON'], [120, 380], ['Hilton Hotels', 'Hilton Garden Inn']],
  ['Holiday Inn', 'hotel', BOTH, false, ['HOLIDAY INN', 'HOLIDAY INN EXPRESS', 'HOLIDAY INN EXP', 'IHG HOLIDAY INN'], [90, 220], ['Holiday Inn Express']],
  ['Best Western', 'hotel', BOTH, false, ['BEST WESTERN', 'BEST WESTERN PLUS', 'BESTWESTERN', 'BW BEST WESTERN'], [80, 200], ['Best Western Plus']],
  ['Airbnb', 'hotel', BOTH, false, ['AIRBNB', 'AIRBNB * HM', 'AIRBNB INC', 'AIRBNB HMTQ4K2ZX9'], [70, 350], []],
  ['Sheraton', 'hotel', BOTH, false, ['SHERATON', 'SHERATON HOTELS', 'SHERATON GRAND'], [130, 380], ['Sheraton Hotels & Resorts']],
  ['Radisson', 'hotel', BOTH, false, ['RADISSON', 'RADISSON BLU', 'RADISSON HOTEL'], [100, 300], ['Radisson Blu']],
  ['ibis', 'hotel', EU, false, ['IBIS', 'IBIS BUDGET', 'IBIS STYLES', 'HOTEL IBIS'], [60, 150], ['ibis Styles']],
  ['Hôtel Le Relais Saint-Germain', 'hotel', EU, false, ['HOTEL LE RELAIS ST GERMAIN', 'HTL RELAIS ST GERMAIN', 'RELAIS SAINT GERMAIN'], [180, 420], ['Le Relais Saint-Germain']],
  ['Hotel Königshof München', 'hotel', EU, false, ['HOTEL KONIGSHOF', 'HTL KOENIGSHOF MUENCHEN', 'KOENIGSHOF HOTEL'], [150, 350], ['Königshof']],
  ['Hyatt', 'hotel', BOTH, true, ['HYATT REGENCY', 'HYATT HOTELS', 'HYATT PLACE', 'HYATT'], [140, 420], ['Hyatt Regency', 'Hyatt Place']],
  ['Westin', 'hotel', BOTH, true, ['WESTIN', 'THE WESTIN', 'WESTIN HOTELS'], [150, 420], ['The Westin']],
  ['Motel 6', 'hotel', AM, true, ['MOTEL 6', 'MOTEL 6 #', 'MOTEL6'], [55, 110], []],
  ['Hôtel Lumière Paris', 'hotel', EU, true, ['HTL LUMIERE PARIS', 'HOTEL LUMIERE', 'HOTELLUMIEREPARIS', 'LUMIERE PARIS'], [150, 380], ['Hôtel Lumière']],
  ['Novotel', 'hotel', EU, true, ['NOVOTEL', 'HOTEL NOVOTEL', 'NOVOTEL SUITES'], [90, 200], []],
  // Car rental (cost per day).
  ['Hertz', 'car', BOTH, false, ['HERTZ RENT-A-CAR', 'HERTZ', 'HERTZ CAR RENTAL', 'THE HERTZ CORPORATION'], [45, 110], ['Hertz Rent-A-Car']],
  ['Avis', 'car', BOTH, false, ['AVIS RENT A CAR', 'AVIS', 'AVIS.COM', 'AVIS BUDGET'], [45, 100], ['Avis Rent A Car']],
  ['Enterprise', 'car', BOTH, false, ['ENTERPRISE RENT-A-CAR', 'ENTERPRISE RAC', 'ENTERPRISE', 'ENTERPRISERENTACAR'], [40, 95], ['Enterprise Rent-A-Car']],
  ['Budget', 'car', AM, false, ['BUDGET RENT A CAR', 'BUDGET RAC', 'BUDGET CAR RENTAL', 'BUDGET'], [35, 85], ['Budget Rent A Car']],
  ['Alamo', 'car', AM, false, ['ALAMO RENT-A-CAR', 'ALAMO', 'ALAMO CAR RENTAL'], [35, 85], ['Alamo Rent A Car']],
  ['National', 'car', AM, true, ['NATIONAL CAR RENTAL', 'NATIONAL RAC', 'NATL CAR RENTAL', 'NATIONAL'], [45, 100], ['National Car Rental']],
  ['Sixt', 'car', BOTH, true, ['SIXT RENT A CAR', 'SIXT', 'SIXT GMBH'], [40, 110], ['SIXT rent a car']],
  ['Europcar', 'car', EU, true, ['EUROPCAR', 'EUROPCAR INTL'], [35, 90], []],
  // Rail.
  ['Amtrak', 'rail', AM, false, ['AMTRAK .COM', 'AMTRAK', 'AMTK*AMTRAK', 'AMTRAK TICKETS'], [25, 280], ['AMTRAK']],
  ['VIA Rail Canada', 'rail', AM, false, ['VIA RAIL CANADA', 'VIA RAIL', 'VIARAIL'], [40, 260], ['VIA Rail']],
  ['SNCF', 'rail', EU, false, ['SNCF', 'SNCF INTERNET', 'OUI.SNCF', 'SNCF CONNECT', 'SNCF VOYAGEURS'], [20, 200], ['SNCF Connect']],
  ['Trenitalia', 'rail', EU, false, ['TRENITALIA', 'TRENITALIA SPA'], [20, 150], []],
  ['Brightline', 'rail', AM, true, ['BRIGHTLINE', 'BRIGHTLINE TRAINS FL'], [20, 160], ['Brightline Trains']],
  ['Eurostar', 'rail', EU, true, ['EUROSTAR INTERNATIONAL', 'EUROSTAR', 'EUROSTAR INTL'], [60, 400], []],
  ['Deutsche Bahn', 'rail', EU, true, ['DB VERTRIEB GMBH', 'DB BAHN', 'DEUTSCHE BAHN', 'DB FERNVERKEHR'], [20, 220], ['DB Bahn']],
  ['Renfe', 'rail', EU, true, ['RENFE VIAJEROS', 'RENFE'], [20, 150], []],
  // Buses.
  ['Greyhound Lines', 'bus', AM, false, ['GREYHOUND LINES', 'GREYHOUND', 'GREYHOUND LINES INC'], [20, 120], ['Greyhound']],
  ['FlixBus', 'bus', BOTH, false, ['FLIXBUS', 'FLIXBUS.COM', 'FLIXBUS DE'], [10, 90], []],
  ['Megabus', 'bus', BOTH, true, ['MEGABUS', 'MEGABUS.COM'], [10, 80], []],
  // Ferries.
  ['Washington State Ferries', 'ferry', AM, false, ['WSDOT FERRIES', 'WA STATE FERRIES', 'WASHINGTON ST FERRIES'], [15, 90], ['WSF']],
  ['P&O Ferries', 'ferry', EU, false, ['P&O FERRIES', 'P O FERRIES', 'POFERRIES.COM'], [40, 220], ['P&O']],
  ['BC Ferries', 'ferry', AM, true, ['BC FERRIES', 'BC FERRIES CORP'], [20, 120], ['British Columbia Ferries']],
  ['DFDS', 'ferry', EU, true, ['DFDS SEAWAYS', 'DFDS'], [40, 260], ['DFDS Seaways']],
  // Pre-booked parking.
  ["Park 'N Fly", 'parking', AM, false, ['PARK N FLY', 'PARKNFLY', 'PARK N FLY #'], [30, 180], ['Park N Fly']],
  ['The Parking Spot', 'parking', AM, false, ['THE PARKING SPOT', 'PARKING SPOT #', 'THEPARKINGSPOT'], [30, 160], ['Parking Spot']],
  ['APCOA', 'parking', EU, false, ['APCOA PARKING', 'APCOA', 'APCOA FLOW'], [25, 150], ['APCOA Parking']],
  ['SpotHero', 'parking', AM, true, ['SPOTHERO', 'SPOTHERO.COM'], [20, 120], []],
  ['Parkos', 'parking', EU, true, ['PARKOS', 'PARKOS.COM'], [25, 130], []],
  // Conference and event registrations.
  ['Eventbrite', 'conference', BOTH, false, ['EVENTBRITE', 'EB *EVENTBRITE', 'EVENTBRITE INC'], [150, 900], []],
  ['RegFox', 'conference', BOTH, false, ['REGFOX', 'REGFOX*', 'REGFOX.COM'], [120, 1100], []],
  ['Swoogo', 'conference', BOTH, true, ['SWOOGO', 'SWOOGO LLC'], [150, 1200], []],
  // Visas and travel documents.
  ['VFS Global', 'visa', BOTH, false, ['VFS GLOBAL', 'VFS SERVICES', 'VFSGLOBAL'], [40, 220], ['VFS']],
  ['CIBT', 'visa', AM, false, ['CIBT VISAS', 'CIBTVISAS', 'CIBT INC'], [60, 400], ['CIBTvisas']],
  ['iVisa', 'visa', BOTH, true, ['IVISA', 'IVISA.COM'], [40, 180], []],
];

/**
 * Names a brand's charges go by that look nothing like the booking: the parent or legal company
 * and sub-brands (a regional carrier, a hotel flag, a rail product). Only names that belong to
 * one brand of the catalogue: a parent shared by two (IAG, Accor, Avis Budget) would make two
 * brands' charges the same and no feature could tell them apart. The vendor alias table
 * (`train/vendor-aliases.json`) lists them, as a real one would.
 */
export const CORPORATE_NAMES: Readonly<Record<string, readonly string[]>> = {
  'Southwest Airlines': ['SOUTHWEST AIRLINES CO', 'SWA'],
  'Delta Air Lines': ['DELTA AIR LINES INC', 'DELTA CONNECTION', 'ENDEAVOR AIR'],
  'United Airlines': ['UNITED AIRLINES INC', 'UNITED AIRLINES HOLDINGS', 'UNITED EXPRESS'],
  'American Airlines': ['AMERICAN AIRLINES INC', 'AMERICAN AIRLINES GROUP', 'AMERICAN EAGLE', 'ENVOY AIR'],
  'JetBlue Airways': ['JETBLUE AIRWAYS CORP', 'JETBLUE TRAVEL PRODUCTS'],
  'Spirit Airlines': ['SPIRIT AIRLINES INC', 'NKS'],
  'Air Canada': ['AIR CANADA ROUGE', 'AIR CANADA JAZZ', 'JAZZ AVIATION'],
  WestJet: ['WESTJET GROUP', 'SWOOP AIRLINES'],
  Lufthansa: ['DEUTSCHE LUFTHANSA AG', 'LUFTHANSA GROUP', 'LUFTHANSA CITYLINE'],
  'British Airways': ['BRITISH AIRWAYS PLC', 'BA CITYFLYER', 'BA EUROFLYER'],
  Iberia: ['IBERIA LINEAS AEREAS DE ESPANA', 'IBERIA EXPRESS', 'AIR NOSTRUM'],
  easyJet: ['EASYJET AIRLINE COMPANY LTD', 'EASYJET UK', 'EASYJET EUROPE'],
  'Alaska Airlines': ['ALASKA AIR GROUP', 'HORIZON AIR'],
  'Frontier Airlines': ['FRONTIER GROUP HOLDINGS', 'FRONTIER AIRLINES INC'],
  'Air France': ['SOCIETE AIR FRANCE', 'AIR FRANCE HOP'],
  'KLM Royal Dutch Airlines': ['KONINKLIJKE LUCHTVAART MIJ', 'KLM CITYHOPPER'],
  'Swiss International Air Lines': ['SWISS INTERNATIONAL AIR LINES AG', 'SWISS INTL AIR LINES LTD'],
  Marriott: ['MARRIOTT INTERNATIONAL', 'RESIDENCE INN', 'FAIRFIELD INN', 'SPRINGHILL SUITES', 'JW MARRIOTT'],
  Hilton: ['HILTON WORLDWIDE', 'HAMPTON INN', 'DOUBLETREE', 'EMBASSY SUITES', 'HOMEWOOD SUITES'],
  'Holiday Inn': ['IHG', 'INTERCONTINENTAL HOTELS GROUP', 'IHG HOTELS RESORTS'],
  'Best Western': ['BEST WESTERN INTERNATIONAL', 'SURESTAY HOTEL', 'BW PREMIER'],
  Airbnb: ['AIRBNB PAYMENTS', 'AIRBNB IRELAND UC'],
  Sheraton: ['SHERATON OPERATING CORP', 'FOUR POINTS'],
  Radisson: ['RADISSON HOTEL GROUP', 'PARK INN BY RADISSON', 'COUNTRY INN SUITES'],
  ibis: ['ACCOR HOTELS', 'IBIS HOTEL SAS'],
  'Hôtel Le Relais Saint-Germain': ['SARL RELAIS SAINT GERMAIN'],
  'Hotel Königshof München': ['KOENIGSHOF GMBH'],
  Hyatt: ['HYATT HOTELS CORP', 'HYATT HOUSE', 'ANDAZ', 'GRAND HYATT'],
  Westin: ['WESTIN HOTEL MANAGEMENT', 'WESTIN HOTELS RESORTS'],
  'Motel 6': ['G6 HOSPITALITY', 'STUDIO 6'],
  'Hôtel Lumière Paris': ['SAS HOTEL LUMIERE'],
  Novotel: ['NOVOTEL SUITES SA', 'NOVOTEL SA'],
  Hertz: ['HERTZ GLOBAL', 'THE HERTZ CORPORATION', 'DOLLAR RENT A CAR', 'THRIFTY CAR RENTAL'],
  Avis: ['AVIS BUDGET GROUP', 'PAYLESS CAR RENTAL', 'AVIS RENT A CAR SYSTEM'],
  Enterprise: ['ENTERPRISE HOLDINGS', 'ENTERPRISE RENT A CAR CO'],
  Budget: ['BUDGET RENT A CAR SYSTEM', 'BUDGET TRUCK'],
  Alamo: ['ALAMO RENTAL US', 'ALAMO FINANCING'],
  National: ['NATIONAL CAR RENTAL SYSTEM', 'NATIONAL CAR RENT'],
  Sixt: ['SIXT SE', 'SIXT GMBH CO AUTOVERMIETUNG'],
  Europcar: ['EUROPCAR MOBILITY GROUP', 'GOLDCAR', 'INTERRENT'],
  Amtrak: ['NATIONAL RAILROAD PASSENGER CORP', 'NRPC', 'AMTRAK ACELA'],
  'VIA Rail Canada': ['VIA RAIL CANADA INC', 'VIA RAIL CORP'],
  SNCF: ['SNCF VOYAGEURS SA', 'OUIGO', 'TGV INOUI'],
  Trenitalia: ['FERROVIE DELLO STATO', 'FS ITALIANE', 'FRECCIAROSSA'],
  Brightline: ['BRIGHTLINE TRAINS FLORIDA', 'BRIGHTLINE FL'],
  Eurostar: ['EUROSTAR INTERNATIONAL LTD', 'THALYS'],
  'Deutsche Bahn': ['DB VERTRIEB GMBH', 'DB FERNVERKEHR AG', 'DB REISE', 'DB NAVIGATOR'],
  Renfe: ['RENFE VIAJEROS SME', 'AVE', 'AVLO'],
  'Greyhound Lines': ['GREYHOUND LINES INC', 'GREYHOUND BUS'],
  FlixBus: ['FLIX SE', 'FLIXMOBILITY GMBH'],
  Megabus: ['MEGABUS USA LLC', 'MEGABUS UK'],
  'Washington State Ferries': ['WASHINGTON STATE DEPT OF TRANSPORTATION', 'WSDOT'],
  'P&O Ferries': ['P&O FERRIES LTD', 'P O FERRIES DOVER'],
  'BC Ferries': ['BRITISH COLUMBIA FERRY SERVICES'],
  DFDS: ['DFDS A S', 'DFDS SEAWAYS PLC'],
  "Park 'N Fly": ['PARK N FLY INC', 'PNF AIRPORT PARKING'],
  'The Parking Spot': ['PARKING SPOT LLC', 'TPS PARKING'],
  APCOA: ['APCOA PARKING HOLDINGS', 'APCOA FLOW GMBH'],
  SpotHero: ['SPOTHERO INC'],
  Parkos: ['PARKOS BV'],
  Eventbrite: ['EVENTBRITE INC', 'EB EVENTBRITE'],
  RegFox: ['WEBCONNEX LLC', 'REGFOX WEBCONNEX'],
  Swoogo: ['SWOOGO LLC'],
  'VFS Global': ['VFS GLOBAL SERVICES', 'VFS VISA SERVICES'],
  CIBT: ['CIBT INC', 'CIBTVISAS COM'],
  iVisa: ['IVISA COM LLC'],
  Expedia: ['EXPEDIA GROUP', 'EXPEDIA TRAVEL', 'EXP'],
  Egencia: ['EGENCIA LLC', 'EGENCIA TRAVEL'],
  'Booking.com': ['BOOKING.COM BV', 'BKG'],
  Priceline: ['PRICELINE.COM LLC', 'PCLN'],
  Navan: ['TRIPACTIONS', 'NAVAN INC'],
  'Trip.com': ['CTRIP', 'TRIP.COM TRAVEL SG'],
};

/** Every travel brand the generator knows, training and held-out alike. */
export const BRANDS: readonly Brand[] = BRAND_ROWS.map(
  ([name, kind, regions, heldOut, statement, cost, alsoBookedAs = [], ticketPrefix]) => ({
    name,
    kind,
    regions,
    heldOut,
    statement,
    cost,
    alsoBookedAs,
    ...(ticketPrefix === undefined ? {} : { ticketPrefix }),
  }),
);

/** Travel agencies and booking sites that appear as the purchase vendor of a budget. */
export const AGENCIES: readonly Merchant[] = [
  {
    name: 'Expedia',
    alsoBookedAs: ['Expedia.com'],
    statement: ['EXPEDIA', 'EXPEDIA.COM', 'EXPEDIA INC'],
    regions: BOTH,
    heldOut: false,
  },
  {
    name: 'Egencia',
    alsoBookedAs: ['Egencia LLC'],
    statement: ['EGENCIA', 'EGENCIA LLC'],
    regions: BOTH,
    heldOut: false,
  },
  {
    name: 'Booking.com',
    alsoBookedAs: [],
    statement: ['BOOKING.COM', 'BKG*BOOKING.COM', 'BOOKING.COM HOTEL'],
    regions: BOTH,
    heldOut: false,
  },
  {
    name: 'Priceline',
    alsoBookedAs: ['Priceline.com'],
    statement: ['PRICELINE', 'PRICELINE.COM'],
    regions: AM,
    heldOut: false,
  },
  {
    name: 'Navan',
    alsoBookedAs: ['TripActions'],
    statement: ['NAVAN', 'TRIPACTIONS', 'NAVAN INC'],
    regions: BOTH,
    heldOut: true,
  },
  {
    name: 'Trip.com',
    alsoBookedAs: [],
    statement: ['TRIP.COM', 'TRIPCOM TRAVEL'],
    regions: BOTH,
    heldOut: true,
  },
];

/**
 * The brands of one kind that a data set may use, preferring those serving `region`; when none
 * does (a held-out set may lack one), any brand of the kind in the set.
 */
export function brandsFor(kind: BookingKind, region: Region, set: VendorSet): readonly Brand[] {
  const inSet = BRANDS.filter(
    (b) => b.kind === kind && (set === 'all' || b.heldOut === (set === 'held-out')),
  );
  const local = inSet.filter((b) => b.regions.includes(region));
  return local.length > 0 ? local : inSet;
}

/** The agencies a data set may use. */
export function agenciesFor(set: VendorSet): readonly Merchant[] {
  if (set === 'all') return AGENCIES;
  return AGENCIES.filter((a) => a.heldOut === (set === 'held-out'));
}
