import type { ThresholdCurve, ThresholdPoint } from '../lambda/monitoring';
import { figure } from './format-table';

/** The summary rows of the what-if: per version, its own threshold, the best-F1 one, the target one. */
export function thresholdSummary(
  curves: readonly ThresholdCurve[],
  targetPrecision: number,
): { head: string[]; body: string[][] } {
  const head = [
    'model version',
    'role',
    'which threshold',
    'threshold',
    'precision',
    'recall',
    'F1',
    'tp',
    'fp',
    'fn',
  ];
  const row = (c: ThresholdCurve, which: string, p: ThresholdPoint | undefined) =>
    p
      ? [
          c.modelVersion,
          c.role,
          which,
          figure(p.threshold),
          figure(p.precision),
          figure(p.recall),
          figure(p.f1),
          String(p.tp),
          String(p.fp),
          String(p.fn),
        ]
      : [c.modelVersion, c.role, which, '—', '—', '—', '—', '', '', ''];
  const body = curves.flatMap((c) => [
    row(c, 'the model’s own (recorded decisions)', c.atModelThreshold),
    row(c, 'best F1', c.bestF1),
    row(c, `lowest with precision ≥ ${targetPrecision}`, c.meetsPrecision),
  ]);
  return { head, body };
}

/** Every grid point of every version, for the full table. */
export function thresholdRows(curves: readonly ThresholdCurve[]): { head: string[]; body: string[][] } {
  const head = ['model version', 'threshold', 'precision', 'recall', 'F1', 'tp', 'fp', 'fn', 'tn'];
  const body = curves.flatMap((c) =>
    c.points.map((p) => [
      c.modelVersion,
      figure(p.threshold),
      figure(p.precision),
      figure(p.recall),
      figure(p.f1),
      String(p.tp),
      String(p.fp),
      String(p.fn),
      String(p.tn),
    ]),
  );
  return { head, body };
}

/** A fixed-width text table; the first `textColumns` columns left-aligned, the rest right. */
export function textTable(table: { head: string[]; body: string[][] }, textColumns: number): string {
  const widths = table.head.map((h, i) =>
    Math.max(h.length, ...table.body.map((cells) => (cells[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(table.head), line(widths.map((w) => '-'.repeat(w))), ...table.body.map(line)].join('\n');
}
