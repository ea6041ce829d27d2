import type { TopLevelSpec } from 'vega-lite/build/index';
import type { ScoreBucket } from '../lambda/monitoring';

/**
 * Vega-Lite: the score distribution over time, a heatmap per model version: one column per day,
 * one cell per score bucket, shaded by the bucket's share of that day's scores, so a shift
 * (drift) shows before any label arrives.
 */
export function scoreChartSpec(buckets: readonly ScoreBucket[]): TopLevelSpec {
  const values = buckets.map((b) => ({
    day: b.day,
    version: b.modelVersion,
    bucket: `${b.lower.toFixed(2)}–${b.upper.toFixed(2)}`,
    lower: b.lower,
    count: b.count,
    share: b.share,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    facet: { row: { field: 'version', type: 'nominal', title: 'model version' } },
    spec: {
      width: { step: 28 },
      height: { step: 16 },
      mark: 'rect',
      encoding: {
        x: { field: 'day', type: 'ordinal', title: 'day (UTC)', axis: { labelAngle: -45 } },
        y: {
          field: 'bucket',
          type: 'ordinal',
          title: 'score',
          sort: { field: 'lower', order: 'descending' },
        },
        color: {
          field: 'share',
          type: 'quantitative',
          title: 'share of the day',
          scale: { scheme: 'blues', domain: [0, 1] },
        },
        tooltip: [
          { field: 'day', type: 'nominal' },
          { field: 'bucket', type: 'nominal', title: 'score' },
          { field: 'count', type: 'quantitative' },
          { field: 'share', type: 'quantitative', format: '.1%' },
        ],
      },
    },
    config: { font: 'sans-serif' },
  };
}
