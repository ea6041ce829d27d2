import { type DailyQuality, liveQuality } from '../../../lambda/monitoring';

const row = (over: Partial<DailyQuality>): DailyQuality => ({
  day: '2025-03-01',
  modelVersion: 'v1',
  role: 'live',
  tp: 0,
  fp: 0,
  fn: 0,
  tn: 0,
  support: 0,
  positives: 0,
  precision: null,
  recall: null,
  f1: null,
  ...over,
});

describe('liveQuality', () => {
  it('pools the counts of the versions that served live that day, leaving shadows out', () => {
    const rows = [
      row({ modelVersion: 'v1', tp: 3, fp: 1, fn: 0, tn: 2 }),
      row({ modelVersion: 'v2', tp: 1, fp: 0, fn: 2, tn: 0 }),
      row({ modelVersion: 'v3', role: 'shadow', tp: 50, fp: 50, fn: 50, tn: 50 }),
      row({ day: '2025-02-28', tp: 50, fp: 50 }),
    ];

    const live = liveQuality(rows, '2025-03-01');

    // tp 4, fp 1, fn 2, tn 2: precision 4/5, recall 4/6, F1 8/(8+1+2).
    expect(live).toEqual({
      day: '2025-03-01',
      modelVersions: ['v1', 'v2'],
      tp: 4,
      fp: 1,
      fn: 2,
      tn: 2,
      support: 9,
      precision: 0.8,
      recall: 4 / 6,
      f1: 8 / 11,
    });
  });

  it('has no figure it cannot compute, and nothing without a live version', () => {
    expect(liveQuality([row({ tn: 4 })], '2025-03-01')).toMatchObject({
      precision: null,
      recall: null,
      f1: null,
    });
    expect(liveQuality([row({ role: 'shadow', tp: 1 })], '2025-03-01')).toBeUndefined();
  });
});
