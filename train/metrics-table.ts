import type { MetricSet } from './metrics';

/** One row of the metrics table: a data set's name, size and metrics. */
export interface MetricsRow {
  readonly name: string;
  readonly rows: number;
  readonly metrics: MetricSet;
}

/**
 * The metrics of several data sets as a Markdown table, for the training log and the README.
 *
 * @example
 * | data set | pairs | matches | precision | recall | F1 | AP | ROC AUC |
 */
export function metricsTable(rows: readonly MetricsRow[]): string {
  const fixed = (n: number) => n.toFixed(4);
  const lines = [
    '| data set | pairs | matches | precision | recall | F1 | AP | ROC AUC |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ name, rows: n, metrics: m }) =>
        `| ${name} | ${n} | ${m.support.positives} | ${fixed(m.precision)} | ${fixed(m.recall)} | ${fixed(m.f1)} | ${fixed(m.average_precision)} | ${fixed(m.roc_auc)} |`,
    ),
  ];
  return lines.join('\n');
}
