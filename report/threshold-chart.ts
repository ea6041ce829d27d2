import type { TopLevelSpec } from 'vega-lite/build/index';
import type { ThresholdCurve } from '../lambda/monitoring';

/**
 * Vega-Lite: the threshold what-if, one panel per model version: precision, recall and F1 against
 * the threshold, the model's own threshold as a solid rule and the best-F1 threshold dashed, so a
 * data scientist sees what moving the threshold would trade.
 */
export function thresholdChartSpec(curves: readonly ThresholdCurve[]): TopLevelSpec {
  const values = curves.flatMap((c) =>
    c.points.flatMap((p) =>
      (['precision', 'recall', 'f1'] as const).map((figure) => ({
        version: `${c.modelVersion} (${c.role})`,
        threshold: p.threshold,
        figure: figure === 'f1' ? 'F1' : figure,
        value: p[figure],
        kind: 'curve',
      })),
    ),
  );
  const marks = curves.flatMap((c) => [
    {
      version: `${c.modelVersion} (${c.role})`,
      threshold: c.modelThreshold,
      mark: 'model threshold',
      kind: 'rule',
    },
    ...(c.bestF1
      ? [
          {
            version: `${c.modelVersion} (${c.role})`,
            threshold: c.bestF1.threshold,
            mark: 'best F1',
            kind: 'rule',
          },
        ]
      : []),
  ]);
  const x = {
    field: 'threshold',
    type: 'quantitative' as const,
    title: 'threshold',
    scale: { domain: [0, 1] },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // One data set for both layers: a faceted chart's layers share their data.
    data: { values: [...values, ...marks] },
    facet: { column: { field: 'version', type: 'nominal', title: 'model version' } },
    spec: {
      width: 340,
      height: 220,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title: 'value', scale: { domain: [0, 1] } },
            color: { field: 'figure', type: 'nominal', title: 'figure' },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'rule'" }],
          mark: { type: 'rule' },
          encoding: {
            x,
            strokeDash: {
              field: 'mark',
              type: 'nominal',
              title: 'threshold',
              scale: {
                domain: ['model threshold', 'best F1'],
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
            },
            color: { value: '#444' },
          },
        },
      ],
    },
    config: { font: 'sans-serif' },
  };
}
