import fc from 'fast-check';
import { parseTimestamp } from '../../../lambda/contract';
import {
  amount,
  id,
  MAX_TEXT_CHARS,
  parseTimestampByPattern,
  text,
  timestamp,
} from '../../../lambda/contract/values';

const utc = (iso: string) => Date.parse(iso);

describe('parseTimestamp', () => {
  it('reads the plain "YYYY-MM-DD HH:MM:SS" form digit by digit exactly as the pattern does', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const plain = fc
      .tuple(
        fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2016, 2017, 2100, 99, 100)),
        two(13),
        two(32),
        fc.constantFrom(' ', 'T', 't', '_'),
        two(25),
        two(61),
        two(61),
      )
      .map(([y, mo, d, sep, h, mi, s]) => `${String(y).padStart(4, '0')}-${mo}-${d}${sep}${h}:${mi}:${s}`);
    const values = fc.oneof(
      plain,
      plain.map((v) => ` ${v}\t`),
      plain.map((v) => v.replace(/\d/, 'x')),
      fc.string({ minLength: 19, maxLength: 19 }),
    );

    fc.assert(
      fc.property(values, (value) =>
        expect(parseTimestamp(value)).toBe(parseTimestampByPattern(value.trim())),
      ),
      { numRuns: 20_000 },
    );
  });

  it('reads the naive "YYYY-MM-DD HH:MM:SS" form as UTC', () => {
    const value = '2017-04-18 04:00:00';

    const parsed = parseTimestamp(value);

    expect(parsed).toBe(utc('2017-04-18T04:00:00Z'));
  });

  it('reads ISO 8601 with Z', () => {
    const parsed = parseTimestamp('2017-04-18T04:00:00Z');

    expect(parsed).toBe(utc('2017-04-18T04:00:00.000Z'));
  });

  it.each([
    ['2017-04-17T23:00:00-05:00'],
    ['2017-04-18T09:30:00+05:30'],
    ['2017-04-18T09:30:00+0530'],
    ['2017-04-18T06:00:00+02'],
    ['2017-04-18t04:00:00z'],
  ])('reads ISO 8601 with an offset, %s, as the same instant as 2017-04-18T04:00:00Z', (value) => {
    const parsed = parseTimestamp(value);

    expect(parsed).toBe(utc('2017-04-18T04:00:00Z'));
  });

  it('reads a bare date as midnight UTC', () => {
    const parsed = parseTimestamp('2017-04-18');

    expect(parsed).toBe(utc('2017-04-18T00:00:00Z'));
  });

  it.each([
    ['2017-04-18T04:00:00.123Z', '2017-04-18T04:00:00.123Z'],
    ['2017-04-18 04:00:00.5', '2017-04-18T04:00:00.500Z'],
    ['2017-04-18T04:00:00,25Z', '2017-04-18T04:00:00.250Z'],
    ['2017-04-18T04:00:00.123456789+00:00', '2017-04-18T04:00:00.123Z'],
  ])('keeps fractional seconds: %s', (value, expected) => {
    const parsed = parseTimestamp(value);

    expect(parsed).toBe(utc(expected));
  });

  it('accepts surrounding whitespace and a time without seconds', () => {
    const parsed = [parseTimestamp('  2017-04-18 04:00:00 '), parseTimestamp('2017-04-18T04:00Z')];

    expect(parsed).toEqual([utc('2017-04-18T04:00:00Z'), utc('2017-04-18T04:00:00Z')]);
  });

  it('reads 24:00:00 as the end of the day', () => {
    expect(parseTimestamp('2017-04-18 24:00:00')).toBe(Date.parse('2017-04-19T00:00:00Z'));
  });

  it('reads years 0000-0099 as themselves, not as 1900-1999', () => {
    expect(new Date(parseTimestamp('0050-06-01') ?? Number.NaN).getUTCFullYear()).toBe(50);
  });

  it('accepts 29 February in a leap year', () => {
    const parsed = parseTimestamp('2016-02-29');

    expect(parsed).toBe(utc('2016-02-29T00:00:00Z'));
  });

  it.each([
    ['2017-02-30'],
    ['2017-02-29'],
    ['2017-04-31'],
    ['2017-04-00'],
    ['2017-13-01'],
    ['2017-00-10'],
    ['2017-04-18 04:60:00'],
    ['2017-04-18 25:00:00'],
    ['2017-04-18 24:30:00'],
    ['2017-04-18T04:00:00+99:99'],
    ['2017-04-18T04:00:00+05:75'],
  ])('rejects the impossible date %s', (value) => {
    const parsed = parseTimestamp(value);

    expect(parsed).toBeUndefined();
  });

  it.each([
    ['yesterday'],
    ['25/04/2017'],
    ['04/25/2017'],
    ['1491663339'],
    ['2017-4-18'],
    ['17-04-18'],
    ['2017-04-18 04'],
    ['2017-04-18T04:00:00 PST'],
    [''],
  ])('rejects the junk %j', (value) => {
    const parsed = parseTimestamp(value);

    expect(parsed).toBeUndefined();
  });
});

describe('timestamp schema', () => {
  it('parses a contract date into epoch milliseconds', () => {
    const parsed = timestamp.parse('2017-04-08 14:55:39');

    expect(parsed).toBe(utc('2017-04-08T14:55:39Z'));
  });

  it.each([
    ['a number of epoch seconds', 1491663339],
    ['junk text', 'yesterday'],
    ['a day-first date', '25/04/2017'],
    ['an impossible date', '2017-02-30'],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', false],
    ['an object', { date: '2017-04-18' }],
    ['a list', ['2017-04-18']],
  ])('treats %s as missing, without failing', (_label, value) => {
    const result = timestamp.safeParse(value);

    expect(result).toEqual({ success: true, data: undefined });
  });
});

describe('amount schema', () => {
  it.each([
    ['140.0', 140],
    [140, 140],
    [' 1,234.50 ', 1234.5],
    ['1,234,567', 1234567],
    ['-12.5', -12.5],
    ['+.5', 0.5],
    ['1e3', 1000],
    [0, 0],
    [-3.25, -3.25],
  ])('parses %j as %d', (value, expected) => {
    const parsed = amount.parse(value);

    expect(parsed).toBe(expected);
  });

  it.each([
    ['abc'],
    ['131,98'],
    ['1,23'],
    ['12,3456.00'],
    [''],
    ['   '],
    ['about 130'],
    ['twenty-four'],
    ['0x10'],
    ['1e999'],
    [null],
    [undefined],
    [true],
    [{}],
    [{ amount: 140 }],
    [[]],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY],
  ])('treats %j as missing, without failing', (value) => {
    const result = amount.safeParse(value);

    expect(result).toEqual({ success: true, data: undefined });
  });
});

describe('id schema', () => {
  it.each([
    ['309366', '309366'],
    [309366, '309366'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [' 309366 ', '309366'],
    ['abc-12', 'abc-12'],
  ])('reads %j as the string %j', (value, expected) => {
    const parsed = id.parse(value);

    expect(parsed).toBe(expected);
  });

  it.each([
    ['an empty string', ''],
    ['blanks', '  '],
    ['null', null],
    ['undefined', undefined],
    ['an object', {}],
    ['a list', []],
    ['a boolean', true],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a 257-character string', 'x'.repeat(257)],
    ['a fraction', 0.1],
    ['a number above 2^53 (its digits are already lost)', JSON.parse('12345678901234567890')],
  ])('fails on %s', (_label, value) => {
    const result = id.safeParse(value);

    expect(result.success).toBe(false);
  });

  it.each([
    ['a NUL (PostgreSQL refuses it)', 'a\u0000b'],
    ['a control character', 'a\u0007'],
    ['a lone high surrogate (drivers store it as U+FFFD)', '\ud800'],
    ['a lone low surrogate', 'x\udc00'],
    ['U+FFFF (SQS refuses it)', 'x\uffff'],
  ])('fails for text that cannot be stored or queued: %s', (_why, value) => {
    const result = id.safeParse(value);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/control characters/);
  });

  it('keeps ids with accents and emoji (well-formed text)', () => {
    expect(id.parse('Hôtel-42 😀')).toBe('Hôtel-42 😀');
  });

  it('says to send large ids as strings', () => {
    const result = id.safeParse(2 ** 60);

    expect(result.error?.issues[0]?.message).toMatch(/as strings/);
  });
});

describe('text schema', () => {
  it('cuts text to MAX_TEXT_CHARS so no feature works on unbounded input', () => {
    const long = `SOUTHWEST ${'AIRLINES '.repeat(100_000)}`;

    const parsed = text.parse(long);

    expect(parsed?.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(parsed?.startsWith('SOUTHWEST AIRLINES')).toBe(true);
  });

  it.each([
    ['  Southwest Airlines  ', 'Southwest Airlines'],
    ['flight', 'flight'],
    [42, '42'],
    [131.98, '131.98'],
  ])('reads %j as %j', (value, expected) => {
    const parsed = text.parse(value);

    expect(parsed).toBe(expected);
  });

  it.each([
    ['an empty string', ''],
    ['blanks', ' \t '],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', true],
    ['NaN', Number.NaN],
    ['an object', { name: 'taxi' }],
    ['a list', ['flight']],
  ])('treats %s as missing, without failing', (_label, value) => {
    const result = text.safeParse(value);

    expect(result).toEqual({ success: true, data: undefined });
  });
});
