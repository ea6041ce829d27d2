import type { FiguresInput } from '../scripts/figures/figures-file';

/** How a detector did on a change: series flagged on or after it, and the median delay. */
export interface ChangeFound {
  /** `found/series`, e.g. `40/40`. */
  readonly detected: string;
  /** Median days from the change to the first flag on or after it; null when never flagged. */
  readonly medianDelayDays: number | null;
  /** Series flagged before the change (false alarms on the flat part). */
  readonly flaggedBefore: number;
}

/** One detector's row of `npm run bench:detectors`. */
export interface DetectorRow {
  readonly detector: string;
  readonly noiseDays: number;
  readonly falseFlagsPer100Days: number;
  readonly falseAlarmEpisodesPer100Days: number;
  readonly step005: ChangeFound;
  readonly decay0003: ChangeFound;
}

const found = (c: ChangeFound) =>
  `${c.detected}, ${c.medianDelayDays === null ? '—' : `${c.medianDelayDays} d`}`;

/**
 * `npm run bench:detectors`'s figures (`detectors`): per detector, the false flags and alarm
 * episodes per 100 days of pure noise, and how many series of a step and of a slow decay it
 * flagged and how soon. Rendered in docs/results-and-monitoring.md.
 */
export function detectorFigures(run: {
  readonly command: string;
  readonly seriesDays: number;
  readonly changeAt: number;
  readonly changeDays: number;
  readonly options: unknown;
  readonly rows: readonly DetectorRow[];
}): FiguresInput {
  return {
    command: run.command,
    figures: {
      series_days: run.seriesDays,
      change_at: run.changeAt,
      change_days: run.changeDays,
      options: run.options,
      detectors: run.rows,
    },
    tables: [
      {
        id: 'detectors',
        columns: [
          'detector',
          'noise figure-days',
          'false flags / 100 days',
          'alarm episodes / 100 days',
          'step −0.05: found, median delay',
          'decay −0.003/day: found, median delay',
        ],
        rows: run.rows.map((r) => [
          r.detector,
          r.noiseDays,
          r.falseFlagsPer100Days,
          r.falseAlarmEpisodesPer100Days,
          found(r.step005),
          found(r.decay0003),
        ]),
        align: ['left', 'right', 'right', 'right', 'right', 'right'],
      },
    ],
    notes: [
      `Synthetic daily precision and recall of 0.9 with 100 true matches a day (about ±0.03 of sampling noise), in ${run.seriesDays}-day series for the noise rows; the step and the decay start on day ${run.changeAt} of ${run.changeDays}-day series. Counts, not timings: the machine's load does not change them.`,
    ],
  };
}
