import type { FiguresInput } from '../scripts/figures/figures-file';

/** PostgreSQL's most bind parameters in one statement (the protocol counts them in 16 bits). */
export const MAX_PARAMETERS = 65_535;

/** One insert shape on one database: the time of each run. */
export interface InsertTiming {
  readonly database: string;
  readonly shape: 'unnest' | 'values';
  readonly statements: number;
  readonly ms: readonly number[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/**
 * `npm run bench:insert`'s figures (`insert-shapes`): per database, the writer's one `unnest`
 * statement beside a multi-row `VALUES` list cut into statements under the parameter limit, best
 * and median of the runs, and each shape's best as a multiple of `unnest`'s on that database.
 * Rendered in docs/results-and-monitoring.md.
 */
export function insertShapeFigures(input: {
  readonly command: string;
  readonly rows: number;
  readonly columns: number;
  readonly chunk: number;
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly timings: readonly InsertTiming[];
}): FiguresInput {
  const rows = input.timings.map((t) => {
    const best = Math.min(...t.ms);
    const unnest = input.timings.find((u) => u.database === t.database && u.shape === 'unnest');
    const unnestBest = unnest ? Math.min(...unnest.ms) : Number.NaN;
    return [
      t.database,
      t.shape === 'unnest'
        ? '`unnest`, one array a column'
        : `\`VALUES\`, ${input.chunk.toLocaleString('en-US')} rows a statement`,
      t.statements,
      round(best, 1),
      round(median(t.ms), 1),
      Math.round((input.rows / best) * 1000),
      Number.isFinite(unnestBest) ? round(best / unnestBest, 2) : null,
    ];
  });
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(', ');
  return {
    command: input.command,
    figures: {
      rows: input.rows,
      columns: input.columns,
      chunk: input.chunk,
      max_parameters: MAX_PARAMETERS,
      load_average: input.loadAverage,
      timings: input.timings,
    },
    tables: [
      {
        id: 'shapes',
        columns: [
          'database',
          'insert',
          'statements',
          'best ms',
          'median ms',
          'rows/s (best)',
          '÷ unnest (best)',
        ],
        rows,
        align: ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
      },
    ],
    notes: [
      `${input.rows.toLocaleString('en-US')} result rows (${input.columns} columns) into an empty \`results\` table with its indexes, ${Math.max(...input.timings.map((t) => t.ms.length))} timed runs of each shape after one untimed round, alternating. A \`VALUES\` statement holds at most ${Math.floor(MAX_PARAMETERS / input.columns).toLocaleString('en-US')} rows (${MAX_PARAMETERS.toLocaleString('en-US')} parameters). Load average (1, 5, 15 min) at the start ${load(input.loadAverage.start)}, at the end ${load(input.loadAverage.end)}: compare rows of one database in one run, not absolute times.`,
    ],
  };
}
