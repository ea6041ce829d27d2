import type { FigureShift, QualityShift } from '../lambda/monitoring';
import { DEFAULT_SHIFT_OPTIONS } from '../lambda/monitoring';
import { textTable } from './format-thresholds';

/** A slope per day as a signed change over 28 days (easier to read than 0.00107/day). */
function slope(f: FigureShift): string {
  if (f.slope === null) return '—';
  const per = (v: number | null) => (v === null ? '?' : (v * 28).toFixed(3));
  return `${per(f.slope)} [${per(f.slopeLow)}, ${per(f.slopeHigh)}]`;
}

function shift(f: FigureShift): string {
  return f.shift === null ? '—' : `${f.shift >= 0 ? '+' : ''}${f.shift.toFixed(3)}`;
}

/** Which of the day's figures a detector flagged: `precision trend ↓`, `recall shift ↑`, … */
export function shiftFlags(s: QualityShift): string {
  const out: string[] = [];
  for (const [name, f] of [
    ['precision', s.precision],
    ['recall', s.recall],
  ] as const) {
    if (f.trendFlag) out.push(`${name} trend ${(f.slope ?? 0) < 0 ? '↓' : '↑'}`);
    if (f.shiftFlag) out.push(`${name} shift ${(f.shift ?? 0) < 0 ? '↓' : '↑'}`);
  }
  return out.join(', ');
}

/** The table's headings and cells, one row per day and version. */
export function shiftRows(shifts: readonly QualityShift[]): { head: string[]; body: string[][] } {
  return {
    head: ['day', 'model version', 'P trend /28d [CI]', 'R trend /28d [CI]', 'P shift', 'R shift', 'flags'],
    body: shifts.map((s) => [
      s.day,
      s.modelVersion,
      slope(s.precision),
      slope(s.recall),
      shift(s.precision),
      shift(s.recall),
      shiftFlags(s),
    ]),
  };
}

/** How the detectors judge, in a sentence. */
export const SHIFT_SETTINGS = (() => {
  const o = DEFAULT_SHIFT_OPTIONS;
  return `Trend: Theil–Sen slope over the ${o.trendDays} days up to the day, shown as the change over 28 days with its ${o.trendConfidence * 100}% interval; flagged when the interval excludes 0 and the change over the window is at least ${o.minTrendChange}. Shift: median of the last ${o.recentDays} days minus that of the ${o.referenceDays} days before; flagged when a Mann–Whitney test gives p < ${o.shiftAlpha} and the shift is at least ${o.minShift}.`;
})();

/** The trend and shift table for a terminal. */
export function formatShifts(shifts: readonly QualityShift[]): string {
  return shifts.length === 0 ? 'No labelled days.' : textTable(shiftRows(shifts), 2);
}
