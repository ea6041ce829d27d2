import type { QualityTrend } from '../../lambda/monitoring';
import { figure, flags, formatTable } from '../../report';

const trend = { ewma: 0.5, median: 0.5, baseline: 0.5, mad: 0.1, history: 5, flag: false };
const row = (over: Partial<QualityTrend>): QualityTrend => ({
  day: '2025-03-01',
  modelVersion: 'v1',
  role: 'live',
  tp: 2,
  fp: 1,
  fn: 2,
  tn: 1,
  support: 6,
  positives: 4,
  precision: 2 / 3,
  recall: 0.5,
  f1: 4 / 7,
  precisionTrend: trend,
  recallTrend: trend,
  ...over,
});

describe('formatTable', () => {
  it('prints one aligned line per day and version, figures to 3 decimals, flags by name', () => {
    const rows = [
      row({}),
      row({
        modelVersion: 'v2-long-name',
        role: 'shadow',
        support: 12,
        precision: null,
        precisionTrend: { ...trend, flag: null },
        recallTrend: { ...trend, flag: true },
      }),
    ];

    const lines = formatTable(rows).split('\n');

    expect(lines).toEqual([
      'day         model version  role    support  precision  recall     F1  P ewma  R ewma  flags',
      '----------  -------------  ------  -------  ---------  ------  -----  ------  ------  ------',
      '2025-03-01  v1             live          6      0.667   0.500  0.571   0.500   0.500',
      '2025-03-01  v2-long-name   shadow       12          —   0.500  0.571   0.500   0.500  recall',
    ]);
  });

  it('names both figures when both fell off, and none when neither did or could not be judged', () => {
    expect(
      flags(row({ precisionTrend: { ...trend, flag: true }, recallTrend: { ...trend, flag: true } })),
    ).toBe('precision, recall');
    expect(flags(row({ precisionTrend: { ...trend, flag: null } }))).toBe('');
    expect(figure(null)).toBe('—');
    expect(figure(1)).toBe('1.000');
  });
});
