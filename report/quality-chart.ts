import type { TopLevelSpec } from 'vega-lite/build/index';
import type { QualityTrend } from '../lambda/monitoring';

/** One point of the quality chart: one figure of one version on one day. */
interface QualityPoint {
  day: string;
  version: string;
  figure: 'precision' | 'recall';
  value: number | null;
  ewma: number | null;
  median: number | null;
  flagged: boolean;
  support: number;
}

/**
 * Vega-Lite: precision (top) and recall (bottom) over time, one colour per model version: the
 * daily values as points, the EWMA as a solid line, the rolling median dashed, and the flagged
 * days circled in red.
 */
export function qualityChartSpec(rows: readonly QualityTrend[]): TopLevelSpec {
  const points: QualityPoint[] = rows.flatMap((r) =>
    (['precision', 'recall'] as const).map((figure) => {
      const trend = figure === 'precision' ? r.precisionTrend : r.recallTrend;
      return {
        day: r.day,
        version: r.modelVersion,
        figure,
        value: r[figure],
        ewma: trend.ewma,
        median: trend.median,
        flagged: trend.flag === true,
        support: r.support,
      };
    }),
  );
  const x = {
    field: 'day',
    type: 'temporal' as const,
    timeUnit: 'utcyearmonthdate' as const,
    title: 'day (UTC)',
  };
  const color = { field: 'version', type: 'nominal' as const, title: 'model version' };
  const y = (field: string, title: string) => ({
    field,
    type: 'quantitative' as const,
    title,
    scale: { domain: [0, 1] },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values: points },
    facet: { row: { field: 'figure', type: 'nominal', title: null } },
    spec: {
      width: 760,
      height: 220,
      layer: [
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: { x, y: y('ewma', 'value'), color },
        },
        {
          mark: { type: 'line', strokeDash: [4, 3], strokeWidth: 1, opacity: 0.8 },
          encoding: { x, y: y('median', 'value'), color },
        },
        {
          mark: { type: 'point', filled: true, size: 40 },
          encoding: {
            x,
            y: y('value', 'value'),
            color,
            tooltip: [
              { field: 'day', type: 'nominal' },
              { field: 'version', type: 'nominal' },
              { field: 'value', type: 'quantitative', format: '.3f' },
              { field: 'support', type: 'quantitative' },
            ],
          },
        },
        {
          transform: [{ filter: 'datum.flagged' }],
          mark: {
            type: 'point',
            shape: 'circle',
            size: 260,
            strokeWidth: 2,
            color: '#d62728',
            filled: false,
          },
          encoding: { x, y: y('value', 'value') },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config: { font: 'sans-serif' },
  };
}
