import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVendorAliases, VendorAliases, vendorKey, vendorSimilarity } from '../../../lambda/features';
import { foldText } from '../../../lambda/features/fold-text';

const TABLE = new VendorAliases(
  parseVendorAliases(readFileSync(join(__dirname, '..', '..', '..', 'train', 'vendor-aliases.json'), 'utf8')),
);
const brandOf = (text: string) => {
  const id = TABLE.resolve(foldText(text).split(' '));
  return id < 0 ? undefined : TABLE.brands[id];
};

describe('VendorAliases', () => {
  it.each([
    ['DB VERTRIEB GMBH FRANKFURT', 'Deutsche Bahn'],
    ['HAMPTON INN #1234', 'Hilton'],
    ['EXPE*MARRIOTT', 'Marriott'],
    ['EXPEDIA 72638291', 'Expedia'],
    ['SOUTHWES 5262174963012', 'Southwest Airlines'],
    ['PAYPAL *SOUTHWESTAIR', 'Southwest Airlines'],
    ['BRITISH A', 'British Airways'],
    ['HYAT REGE', 'Hyatt'],
    ['MOTEL 6 #1234', 'Motel 6'],
    ['AVIS BUDGET GROUP', 'Avis'],
    ['NATIONAL RAILROAD PASSENGER CORP', 'Amtrak'],
    ['Courtyard by Marriott', 'Marriott'],
  ])('reads %j as %s (parent names, sub-brands, truncation, abbreviations, codes)', (text, brand) => {
    expect(brandOf(text)).toBe(brand);
  });

  it.each([['UBER *TRIP'], ['AIRPORT PARKING'], ['STARBUCKS STORE 1234'], ['Q-PARK'], ['SHELL OIL 12345']])(
    'reads no brand in %j (a generic word is not a brand cut short)',
    (text) => {
      expect(brandOf(text)).toBeUndefined();
    },
  );

  it('makes vendors of one brand agree and of two brands conflict, whatever their letters', () => {
    const budget = vendorKey('Deutsche Bahn', TABLE);
    const charge = vendorKey('DB VERTRIEB GMBH', TABLE);
    const other = vendorKey('SNCF VOYAGEURS', TABLE);
    if (!budget || !charge || !other) throw new Error('vendor keys expected');

    expect(vendorSimilarity(budget, charge)).toMatchObject({ alias: 1, aliasConflict: 0 });
    expect(vendorSimilarity(budget, other)).toMatchObject({ alias: 0, aliasConflict: 1 });
    expect(vendorKey('DB VERTRIEB GMBH')?.alias).toBe(-1);
  });

  it('refuses a table that is not { version: 1, brands: { name: [text] } }, naming what is wrong', () => {
    expect(() => parseVendorAliases('{"version":2,"brands":{}}')).toThrow(/"version" must be 1/);
    expect(() => parseVendorAliases('{"version":1,"brands":[]}')).toThrow(/"brands" must be an object/);
    expect(() => parseVendorAliases('{"version":1,"brands":{"X":[1]}}')).toThrow(/brands\["X"\]/);
  });
});
