/** The command line of `npm run train`. */
export interface TrainArgs {
  readonly seed: number;
  readonly users: number;
  readonly epochs: number;
  /** Width of the hidden layer (serving's model call grows with it: `npm run bench`). */
  readonly hiddenUnits: number;
  /** Where the artifact goes; undefined: a new directory `.data/models/<version>`. */
  readonly out: string | undefined;
  /** Write over the committed default model (`models/default`), and its docs figures. */
  readonly updateDefault: boolean;
  /**
   * Leave the test set alone: train, report validation by slice and budget type, write nothing.
   * For trying generator and feature changes without looking at the test set.
   */
  readonly validationOnly: boolean;
}

/** The committed default model's directory: written only with `--update-default`. */
export const DEFAULT_MODEL_DIR = 'models/default';

export const DEFAULT_TRAIN_ARGS: TrainArgs = {
  seed: 20261123,
  users: 8000,
  epochs: 24,
  hiddenUnits: 32,
  out: undefined,
  updateDefault: false,
  validationOnly: false,
};

export const TRAIN_USAGE = `usage: npm run train -- [--seed N] [--users N] [--epochs N] [--hidden-units N] [--out DIR | --update-default]
  --seed            seed of the generated data, the split and the weights (default ${DEFAULT_TRAIN_ARGS.seed})
  --users           simulated users, split 80/20 by user into train and validation (default ${DEFAULT_TRAIN_ARGS.users});
                    the test set is its own (train/eval-config.ts)
  --epochs          most training epochs; stops early when validation stops improving (default ${DEFAULT_TRAIN_ARGS.epochs})
  --hidden-units    width of the hidden layer (default ${DEFAULT_TRAIN_ARGS.hiddenUnits})
  --out             artifact directory (default: a new directory .data/models/<version>)
  --update-default  write over the committed default model, ${DEFAULT_MODEL_DIR} (and its figures in .data/figures)
  --validation-only train and report validation by slice and budget type; the test set is not
                    generated and nothing is written (for trying changes without touching the test set)`;

/** A command line that cannot be run; its message is all the user needs to see. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const VALUE_FLAGS = new Set(['seed', 'users', 'epochs', 'hidden-units', 'out']);
const SWITCHES = new Set(['update-default', 'validation-only']);

/**
 * Parses `--flag value` and `--flag=value` arguments, and `--update-default`.
 * @throws UsageError naming the flag when one is unknown, lacks a value, or is not a positive
 * integer, or when `--out` and `--update-default` are both given.
 */
export function parseArgs(argv: readonly string[]): TrainArgs {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"\n${TRAIN_USAGE}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (SWITCHES.has(name) && eq < 0) {
      switches.add(name);
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new UsageError(`unknown flag --${name}\n${TRAIN_USAGE}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  const integer = (name: 'seed' | 'users' | 'epochs' | 'hidden-units', min: number): number => {
    const text = values.get(name);
    if (text === undefined) return DEFAULT_TRAIN_ARGS[name === 'hidden-units' ? 'hiddenUnits' : name];
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`--${name} must be an integer of at least ${min}, not "${text}"`);
    return n;
  };
  const updateDefault = switches.has('update-default');
  const out = values.get('out');
  if (updateDefault && out !== undefined)
    throw new UsageError('--out and --update-default name two places; give one');
  return {
    seed: integer('seed', 0),
    // Fewer users than this leave a split without a single match.
    users: integer('users', 20),
    epochs: integer('epochs', 1),
    hiddenUnits: integer('hidden-units', 1),
    out: updateDefault ? DEFAULT_MODEL_DIR : out,
    updateDefault,
    validationOnly: switches.has('validation-only'),
  };
}
