/** The command line of `npm run train`. */
export interface TrainArgs {
  readonly seed: number;
  readonly users: number;
  readonly epochs: number;
  readonly out: string;
}

export const DEFAULT_TRAIN_ARGS: TrainArgs = {
  seed: 20261123,
  users: 3000,
  epochs: 12,
  out: 'models/default',
};

export const TRAIN_USAGE = `usage: npm run train -- [--seed N] [--users N] [--epochs N] [--out DIR]
  --seed    seed of the generated data, the split and the weights (default ${DEFAULT_TRAIN_ARGS.seed})
  --users   simulated users, split 70/15/15 by user (default ${DEFAULT_TRAIN_ARGS.users})
  --epochs  training epochs; the best on validation is kept (default ${DEFAULT_TRAIN_ARGS.epochs})
  --out     artifact directory (default ${DEFAULT_TRAIN_ARGS.out})`;

/** A command line that cannot be run; its message is all the user needs to see. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses `--flag value` and `--flag=value` arguments.
 * @throws UsageError naming the flag when one is unknown, lacks a value, or is not a positive integer.
 */
export function parseArgs(argv: readonly string[]): TrainArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"\n${TRAIN_USAGE}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (!Object.hasOwn(DEFAULT_TRAIN_ARGS, name))
      throw new UsageError(`unknown flag --${name}\n${TRAIN_USAGE}`);
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    values.set(name, value);
  }
  const integer = (name: 'seed' | 'users' | 'epochs', min: number): number => {
    const text = values.get(name);
    if (text === undefined) return DEFAULT_TRAIN_ARGS[name];
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`--${name} must be an integer of at least ${min}, not "${text}"`);
    return n;
  };
  return {
    seed: integer('seed', 0),
    // Fewer users than this leave a split without a single match.
    users: integer('users', 20),
    epochs: integer('epochs', 1),
    out: values.get('out') ?? DEFAULT_TRAIN_ARGS.out,
  };
}
