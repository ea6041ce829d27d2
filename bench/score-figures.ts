import type { FiguresInput } from '../scripts/figures/figures-file';

/** One route of `npm run bench:score`. */
export interface ScoreRouteRow {
  readonly route: 'http' | 'invoke';
  readonly reference_pairs_per_s: number;
  /** Seconds of the two back-to-back runs, before and after the client's. */
  readonly reference_runs_s: readonly number[];
  readonly score_pairs_per_s: number;
  readonly score_s: number;
  readonly score_printed: string;
  readonly ratio: number;
}

/** What `npm run bench:score` measured (kept whole as the figures' raw part). */
export interface ScoreRun {
  readonly requests: number;
  readonly pairs: number;
  readonly shape: { readonly budgets: number; readonly items: number };
  readonly concurrency: number;
  /** The client's throughput over the reference's that counts as met. */
  readonly target_ratio: number;
  /** 1-, 5- and 15-minute load averages when the bench started and when it ended. */
  readonly load_average: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly rows: readonly ScoreRouteRow[];
}

const ROUTE = { http: 'HTTP (`--url`)', invoke: 'Invoke (`--endpoint-url`)' } as const;
const seconds = (s: readonly number[]) => s.map((x) => `${x.toFixed(1)} s`).join(', ');
const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(', ');

/**
 * `npm run bench:score`'s figures (`score`): per route, the back-to-back reference, `npm run
 * score`'s throughput and their ratio against the target. Rendered in docs/clients.md.
 */
export function scoreFigures(command: string, run: ScoreRun): FiguresInput {
  return {
    command,
    figures: run,
    tables: [
      {
        id: 'routes',
        columns: [
          'route',
          'back-to-back, no client (pairs/s)',
          'runs before, after',
          `\`npm run score\`, concurrency ${run.concurrency} (pairs/s)`,
          'run',
          'ratio',
          `target ≥ ${run.target_ratio}`,
        ],
        rows: run.rows.map((r) => [
          ROUTE[r.route],
          r.reference_pairs_per_s,
          seconds(r.reference_runs_s),
          r.score_pairs_per_s,
          seconds([r.score_s]),
          r.ratio,
          r.ratio >= run.target_ratio ? 'met' : '**not met**',
        ]),
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
      },
    ],
    notes: [
      `${run.requests.toLocaleString('en-US')} requests of ${run.shape.budgets} budgets × ${run.shape.items} items (${run.pairs.toLocaleString('en-US')} pairs) per run. Load average (1, 5, 15 min) at the start ${load(run.load_average.start)}, at the end ${load(run.load_average.end)}: other jobs on the machine take CPU from the server and the client alike; the ratio compares runs of the same bench.`,
    ],
  };
}
