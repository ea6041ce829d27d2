import { DEFAULT_TRAIN_ARGS, parseArgs, UsageError } from '../../train/parse-args';

describe('parseArgs', () => {
  it('takes the defaults when no flag is given', () => {
    expect(parseArgs([])).toEqual(DEFAULT_TRAIN_ARGS);
  });

  it('reads "--flag value" and "--flag=value"', () => {
    expect(parseArgs(['--seed', '7', '--users=500', '--epochs', '3', '--out=/tmp/model'])).toEqual({
      seed: 7,
      users: 500,
      epochs: 3,
      out: '/tmp/model',
    });
  });

  it('names an unknown flag, a missing value and a bad number', () => {
    expect(() => parseArgs(['--sed', '7'])).toThrow(UsageError);
    expect(() => parseArgs(['--sed', '7'])).toThrow(/unknown flag --sed/);
    expect(() => parseArgs(['--seed'])).toThrow(/--seed needs a value/);
    expect(() => parseArgs(['--epochs', '1.5'])).toThrow(/--epochs must be an integer/);
    expect(() => parseArgs(['--users', '3'])).toThrow(/--users must be an integer of at least 20/);
  });
});
