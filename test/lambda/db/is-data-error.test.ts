import { isDataError } from '../../../lambda/db/is-data-error';

describe('isDataError', () => {
  it.each([
    ['22021 (invalid byte sequence, e.g. a NUL)', '22021'],
    ['23505 (unique violation)', '23505'],
    ['21000 (an upsert touching one row twice)', '21000'],
  ])('is true for %s: retrying the same rows cannot succeed', (_why, code) => {
    expect(isDataError({ code })).toBe(true);
  });

  it.each([['ECONNREFUSED'], ['57P01'], ['53300'], [undefined]])(
    'is false for %s: a retry outlasts it',
    (code) => {
      expect(isDataError({ code })).toBe(false);
    },
  );
});
