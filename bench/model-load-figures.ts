import { FEATURE_COUNT } from '../lambda/features';
import type { FiguresInput } from '../scripts/figures/figures-file';

const MiB = 1024 * 1024;
/** Peak RSS over the baseline while loading, as a multiple of the weight bytes (DESIGN.md #5). */
const TARGET = 1.25;

/** One load of one model from one store (what `test/helpers/measure-model-load.ts` prints). */
export interface LoadRun {
  readonly hidden: readonly number[];
  readonly shards: number;
  readonly store: string;
  readonly run: number;
  readonly publish_ms: number;
  readonly measured: {
    readonly weight_bytes: number;
    readonly baseline_rss_bytes: number;
    readonly peak_over_baseline_bytes: number;
    readonly peak_over_weights: number;
    readonly load_ms: number;
    readonly mb_per_s: number;
  };
}

/** `a–b` with `digits` decimals (`a to b` when a is negative), or one value when both round alike. */
function range(values: readonly number[], digits: number): string {
  const format = (x: number) =>
    x
      .toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
      .replace('-', '−');
  const lo = format(Math.min(...values));
  const hi = format(Math.max(...values));
  if (lo === hi) return lo;
  return lo.startsWith('−') ? `${lo} to ${hi}` : `${lo}–${hi}`;
}

/**
 * `npm run bench:load`'s figures (`model-load`): per model and store, the load time, throughput
 * and peak RSS over the baseline over its runs, absolute and as a multiple of the weight bytes
 * against the target. Rendered in docs/models.md.
 */
export function modelLoadFigures(input: {
  readonly command: string;
  readonly shardMib: number;
  readonly partMib: number;
  readonly concurrency: number;
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly runs: readonly LoadRun[];
}): FiguresInput {
  const groups = new Map<string, LoadRun[]>();
  for (const r of input.runs) {
    const key = `${r.hidden.join(',')}|${r.store}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows = [...groups.values()].map((runs) => {
    const first = runs[0] as LoadRun;
    const m = runs.map((r) => r.measured);
    const weightsMib = first.measured.weight_bytes / MiB;
    return [
      `${Math.round(weightsMib).toLocaleString('en-US')} MiB (${FEATURE_COUNT} → ${first.hidden.join(' → ')} → 1), ${first.shards} shards`,
      first.store,
      runs.length,
      range(
        m.map((x) => x.load_ms / 1000),
        2,
      ),
      range(
        m.map((x) => x.mb_per_s),
        0,
      ),
      range(
        m.map((x) => x.peak_over_baseline_bytes / MiB),
        0,
      ),
      range(
        m.map((x) => x.peak_over_baseline_bytes / MiB - weightsMib),
        0,
      ),
      range(
        m.map((x) => x.peak_over_weights),
        3,
      ),
      m.every((x) => x.peak_over_weights <= TARGET) ? 'met' : '**not met**',
    ];
  });
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(', ');
  return {
    command: input.command,
    figures: {
      shard_mib: input.shardMib,
      part_mib: input.partMib,
      concurrency: input.concurrency,
      load_average: input.loadAverage,
      runs: input.runs,
    },
    tables: [
      {
        id: 'loads',
        columns: [
          'model',
          'store',
          'runs',
          'load s',
          'MB/s',
          'peak RSS over baseline, MiB',
          'of which above the weights, MiB',
          '÷ weight bytes',
          `target ≤ ${TARGET}`,
        ],
        rows,
        align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      },
    ],
    notes: [
      `Shards of ${input.shardMib} MiB, read in ranged parts of ${input.partMib} MiB, ${input.concurrency} in flight. Each load in a fresh \`--expose-gc\` child process; the peak is the kernel's high-water mark (\`VmHWM\`), reset at the baseline. Ranges are over the runs. Load average (1, 5, 15 min) at the start ${load(input.loadAverage.start)}, at the end ${load(input.loadAverage.end)}: times and MB/s move with it, the memory figures do not.`,
    ],
  };
}
