import { scoreHistogram } from '../../../lambda/monitoring';
import {
  describeEachMonitoringTarget,
  insertQualityFixture,
  type TestDatabase,
} from '../../helpers/monitoring-database';

describeEachMonitoringTarget('score_histogram on %s', (_name, open) => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await open('score_histogram');
    await insertQualityFixture(target.db, '2025-03-01', '2025-03-02');
  });
  afterAll(() => target.dispose());

  it('counts every scored row per UTC day and version in equal buckets, empty ones too', async () => {
    const buckets = await scoreHistogram(target.db, { bins: 4 });

    const table = buckets.map((b) => [b.day, b.modelVersion, b.lower, b.upper, b.count, b.share]);
    expect(table).toEqual([
      // v1, day 1: 0.1, 0.2 (b2/i1's first score, labelled or superseded all count), 0.24 | 0.3 |
      // 0.5, 0.7 | 0.9, 1.0 (1 goes in the last bucket); the error row has no score. 8 rows.
      ['2025-03-01', 'v1', 0, 0.25, 3, 3 / 8],
      ['2025-03-01', 'v1', 0.25, 0.5, 1, 1 / 8],
      ['2025-03-01', 'v1', 0.5, 0.75, 2, 2 / 8],
      ['2025-03-01', 'v1', 0.75, 1, 2, 2 / 8],
      // v2 (shadow), day 1: 0.25 and 0.4 | 0.6.
      ['2025-03-01', 'v2', 0, 0.25, 0, 0],
      ['2025-03-01', 'v2', 0.25, 0.5, 2, 2 / 3],
      ['2025-03-01', 'v2', 0.5, 0.75, 1, 1 / 3],
      ['2025-03-01', 'v2', 0.75, 1, 0, 0],
      // v1, day 2: 0.1 | 0.3 | — | 0.9 (scored at 00:00:00 UTC).
      ['2025-03-02', 'v1', 0, 0.25, 1, 1 / 3],
      ['2025-03-02', 'v1', 0.25, 0.5, 1, 1 / 3],
      ['2025-03-02', 'v1', 0.5, 0.75, 0, 0],
      ['2025-03-02', 'v1', 0.75, 1, 1, 1 / 3],
      ['2025-03-02', 'v3', 0, 0.25, 1, 1],
      ['2025-03-02', 'v3', 0.25, 0.5, 0, 0],
      ['2025-03-02', 'v3', 0.5, 0.75, 0, 0],
      ['2025-03-02', 'v3', 0.75, 1, 0, 0],
    ]);
    expect(buckets.slice(0, 4).map((b) => b.bucket)).toEqual([1, 2, 3, 4]);
  });

  it('bounds the scan by day', async () => {
    const buckets = await scoreHistogram(target.db, { bins: 2, from: '2025-03-02', to: '2025-03-02' });

    expect(buckets.map((b) => [b.day, b.modelVersion, b.count])).toEqual([
      ['2025-03-02', 'v1', 2],
      ['2025-03-02', 'v1', 1],
      ['2025-03-02', 'v3', 1],
      ['2025-03-02', 'v3', 0],
    ]);
  });

  it('returns nothing for days without scores, and refuses a bin count it cannot use', async () => {
    expect(await scoreHistogram(target.db, { from: '2030-01-01' })).toEqual([]);
    await expect(scoreHistogram(target.db, { bins: 0 })).rejects.toThrow(/bins/);
  });
});
