import { parseArgs } from 'node:util';
import { DEFAULT_TREND_OPTIONS, type TrendOptions } from '../lambda/monitoring';

/** What `npm run report` is asked for. */
export interface ReportOptions {
  /** Days shown, ending today (UTC). @default 14 */
  readonly days: number;
  /** The HTML file written. @default `.data/report/report.html` (ignored by git) */
  readonly out: string;
  /** Score histogram buckets over [0, 1]. @default 10 */
  readonly bins: number;
  /** Smoothing and flagging (`quality_trend`'s parameters). */
  readonly trend: TrendOptions;
  /** Print the top false positives and negatives (with their fields) instead of the daily table. */
  readonly errors: boolean;
  /** False positives and false negatives listed per version. @default 10 */
  readonly top: number;
  /** Thresholds of the what-if: 0, 1/steps, …, 1. @default 100 */
  readonly steps: number;
  /** The precision the what-if looks for the lowest threshold to meet. @default 0.9 */
  readonly targetPrecision: number;
}

/** Under the ignored data folder, so a report never shows in `git status` or in lint. */
export const DEFAULT_REPORT_OUT = '.data/report/report.html';

export const REPORT_USAGE = `usage: npm run report -- [--days 14] [--out .data/report/report.html] [--span 7] [--trailing 14] [--k 3]
                          [--min-history 5] [--min-mad 0.01] [--bins 10]
                          [--errors] [--top 10] [--steps 100] [--target-precision 0.9]

Prints precision and recall of the recent days per model version (with their EWMA, the days
flagged off the trend, the robust trend and shift flags) and the threshold what-if, and writes an
HTML report with charts. --errors prints the most confident false positives and false negatives
instead, with the budget's and the line item's fields side by side (where the request was captured). The database is the one the
service writes: DATABASE_SECRET_ARN, DATABASE_URL, or PGlite in RESULTS_DB_DIR (.data/results).`;

/** Reads the command line; throws a message fit for the user on a bad option. */
export function parseReportOptions(argv: readonly string[]): ReportOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      days: { type: 'string' },
      out: { type: 'string' },
      bins: { type: 'string' },
      span: { type: 'string' },
      trailing: { type: 'string' },
      k: { type: 'string' },
      'min-history': { type: 'string' },
      'min-mad': { type: 'string' },
      errors: { type: 'boolean' },
      top: { type: 'string' },
      steps: { type: 'string' },
      'target-precision': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const d = DEFAULT_TREND_OPTIONS;
  return {
    days: whole('--days', values.days, 14, 1),
    out: values.out || DEFAULT_REPORT_OUT,
    bins: whole('--bins', values.bins, 10, 1),
    trend: {
      span: whole('--span', values.span, d.span, 1),
      trailingDays: whole('--trailing', values.trailing, d.trailingDays, 1),
      k: positive('--k', values.k, d.k),
      minHistory: whole('--min-history', values['min-history'], d.minHistory, 1),
      minMad: positive('--min-mad', values['min-mad'], d.minMad, true),
    },
    errors: values.errors === true,
    top: whole('--top', values.top, 10, 1),
    steps: whole('--steps', values.steps, 100, 1),
    targetPrecision: fraction('--target-precision', values['target-precision'], 0.9),
  };
}

function whole(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: "${raw}" is not a whole number ≥ ${min}`);
  return n;
}

function positive(name: string, raw: string | undefined, fallback: number, zeroAllowed = false): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed))
    throw new Error(`${name}: "${raw}" is not a ${zeroAllowed ? 'non-negative' : 'positive'} number`);
  return n;
}

function fraction(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !(n > 0 && n <= 1)) throw new Error(`${name}: "${raw}" is not a number in (0, 1]`);
  return n;
}
