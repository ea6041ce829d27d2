import { dailyQuality, liveQuality } from '../../../lambda/monitoring';
import {
  insertLabels,
  insertResults,
  monitoringTargets,
  type TestDatabase,
} from '../../helpers/monitoring-database';

describe.each(monitoringTargets())('liveQuality on %s', (_name, open) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await open('live_quality');
  });
  afterAll(() => test.dispose());

  it('counts each labelled pair once, at its latest live score, leaving shadow and batch rows out', async () => {
    const day = '2025-03-01';
    await insertResults(test.db, [
      // Promotion day: p1 scored live by v1 in the morning, by v2 in the afternoon.
      {
        budget_id: 'b',
        itemization_id: 'p1',
        score: 0.9,
        model_version: 'v1',
        scored_at: `${day}T09:00:00Z`,
      },
      {
        budget_id: 'b',
        itemization_id: 'p1',
        score: 0.1,
        model_version: 'v2',
        scored_at: `${day}T15:00:00Z`,
      },
      // p2 live by v1, shadowed by v2 (which served live that day too): only v1's live score counts.
      {
        budget_id: 'b',
        itemization_id: 'p2',
        score: 0.9,
        model_version: 'v1',
        scored_at: `${day}T10:00:00Z`,
      },
      {
        budget_id: 'b',
        itemization_id: 'p2',
        score: 0.1,
        model_version: 'v2',
        role: 'shadow',
        scored_at: `${day}T10:00:00Z`,
      },
      // p3 only in a batch job, p4 only shadowed: never counted.
      {
        budget_id: 'b',
        itemization_id: 'p3',
        score: 0.9,
        model_version: 'v2',
        role: 'batch',
        scored_at: `${day}T11:00:00Z`,
      },
      {
        budget_id: 'b',
        itemization_id: 'p4',
        score: 0.9,
        model_version: 'v2',
        role: 'shadow',
        scored_at: `${day}T11:00:00Z`,
      },
    ]);
    await insertLabels(test.db, [
      ['b', 'p1', true],
      ['b', 'p2', true],
      ['b', 'p3', true],
      ['b', 'p4', false],
    ]);

    const live = await liveQuality(test.db, day);
    const perVersion = await dailyQuality(test.db, { from: day, to: day });

    // p1: v2 said no, it is a match (fn); p2: v1 said yes (tp). Two pairs, each once.
    expect(live).toEqual({
      day,
      modelVersions: ['v1', 'v2'],
      tp: 1,
      fp: 0,
      fn: 1,
      tn: 0,
      support: 2,
      precision: 1,
      recall: 0.5,
      f1: 2 / 3,
    });
    // What summing the per-version live rows would have counted: p1 twice, p2 twice, p4 once.
    const summed = perVersion.filter((r) => r.role === 'live').reduce((n, r) => n + r.support, 0);
    expect(summed).toBe(5);
    expect(await liveQuality(test.db, '2025-03-02')).toBeUndefined();
  });
});
