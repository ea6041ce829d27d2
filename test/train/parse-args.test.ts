import { DEFAULT_MODEL_DIR, DEFAULT_TRAIN_ARGS, parseArgs, UsageError } from '../../train/parse-args';

describe('parseArgs', () => {
  it('takes the defaults when no flag is given: a new directory, never the committed default', () => {
    expect(parseArgs([])).toEqual(DEFAULT_TRAIN_ARGS);
    expect(DEFAULT_TRAIN_ARGS.out).toBeUndefined();
    expect(DEFAULT_TRAIN_ARGS.updateDefault).toBe(false);
  });

  it('reads "--flag value" and "--flag=value"', () => {
    expect(
      parseArgs(['--seed', '7', '--users=500', '--epochs', '3', '--hidden-units', '8', '--out=/tmp/model']),
    ).toEqual({
      seed: 7,
      users: 500,
      epochs: 3,
      hiddenUnits: 8,
      out: '/tmp/model',
      updateDefault: false,
      validationOnly: false,
    });
  });

  it('writes over the committed default only with --update-default', () => {
    expect(parseArgs(['--update-default'])).toMatchObject({ out: DEFAULT_MODEL_DIR, updateDefault: true });
    expect(() => parseArgs(['--update-default', '--out', '/tmp/x'])).toThrow(/--out and --update-default/);
  });

  it('names an unknown flag, a missing value and a bad number', () => {
    expect(() => parseArgs(['--sed', '7'])).toThrow(UsageError);
    expect(() => parseArgs(['--sed', '7'])).toThrow(/unknown flag --sed/);
    expect(() => parseArgs(['--seed'])).toThrow(/--seed needs a value/);
    expect(() => parseArgs(['--epochs', '1.5'])).toThrow(/--epochs must be an integer/);
    expect(() => parseArgs(['--users', '3'])).toThrow(/--users must be an integer of at least 20/);
    expect(() => parseArgs(['--hidden-units', '0'])).toThrow(
      /--hidden-units must be an integer of at least 1/,
    );
  });
});
