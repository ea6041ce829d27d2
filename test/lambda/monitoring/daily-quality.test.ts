import { dailyQuality } from '../../../lambda/monitoring';
import {
  describeEachMonitoringTarget,
  insertQualityFixture,
  type TestDatabase,
} from '../../helpers/monitoring-database';

describeEachMonitoringTarget('daily_quality on %s', (_name, open) => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await open('daily_quality');
    await insertQualityFixture(target.db, '2025-03-01', '2025-03-02');
  });
  afterAll(() => target.dispose());

  it('counts each labelled pair once per version at its latest score, by UTC day', async () => {
    const rows = await dailyQuality(target.db);

    expect(rows).toEqual([
      // v1 on day 1: b1/i1 tp, b1/i2 fp, b1/i3 fn, b1/i4 tn, b1/i5 tp, b1/i7 fn. Not b1/i6 (no
      // label), not the error row, not b2/i1 (scored again at 00:00 on day 2, which counts).
      // precision 2/(2+1), recall 2/(2+2), F1 2·2/(2·2+1+2) = 4/7.
      {
        day: '2025-03-01',
        modelVersion: 'v1',
        role: 'live',
        tp: 2,
        fp: 1,
        fn: 2,
        tn: 1,
        support: 6,
        positives: 4,
        precision: expect.closeTo(2 / 3, 12),
        recall: 0.5,
        f1: expect.closeTo(4 / 7, 12),
      },
      // v2 (shadow) on day 1: b1/i1 fn, b1/i2 tn, b1/i3 tp: precision 1/1, recall 1/2, F1 2/3.
      {
        day: '2025-03-01',
        modelVersion: 'v2',
        role: 'shadow',
        tp: 1,
        fp: 0,
        fn: 1,
        tn: 1,
        support: 3,
        positives: 2,
        precision: 1,
        recall: 0.5,
        f1: expect.closeTo(2 / 3, 12),
      },
      // v1 on day 2: b2/i1 tp, b2/i2 fp (0.3 at its recorded threshold 0.25), b2/i3 tn:
      // precision 1/2, recall 1/1, F1 2/(2+1+0).
      {
        day: '2025-03-02',
        modelVersion: 'v1',
        role: 'live',
        tp: 1,
        fp: 1,
        fn: 0,
        tn: 1,
        support: 3,
        positives: 1,
        precision: 0.5,
        recall: 1,
        f1: expect.closeTo(2 / 3, 12),
      },
      // v3 on day 2: one true negative, so nothing to divide by: NULL, not an error.
      {
        day: '2025-03-02',
        modelVersion: 'v3',
        role: 'shadow',
        tp: 0,
        fp: 0,
        fn: 0,
        tn: 1,
        support: 1,
        positives: 0,
        precision: null,
        recall: null,
        f1: null,
      },
    ]);
  });

  it('bounds the days, both ends included', async () => {
    const rows = await dailyQuality(target.db, { from: '2025-03-02', to: '2025-03-02' });

    expect(rows.map((r) => `${r.day} ${r.modelVersion}`)).toEqual(['2025-03-02 v1', '2025-03-02 v3']);
  });

  it('records one outcome per pair and version in pair_outcomes, the latest', async () => {
    const { rows } = await target.db.query<{ day: string; score: number; outcome: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, score, outcome FROM pair_outcomes
       WHERE budget_id = 'b2' AND itemization_id = 'i1'`,
    );

    expect(rows).toEqual([{ day: '2025-03-02', score: 0.9, outcome: 'tp' }]);
  });
});
