import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { migrate, openDatabase } from '../../lambda/db';
import { MONITOR_METRICS } from '../../lambda/metrics';
import { createMonitorHandler } from '../../lambda/monitor';
import { addDays, dayBefore, fallingFigures } from '../../lambda/monitoring';
import { captureJsonLines, type EmfDocument, emfDocuments } from '../helpers/capture-stdout';
import { insertQualityFixture } from '../helpers/monitoring-database';
import { insertSyntheticDays, step, syntheticDays } from '../helpers/quality-series';
import { useScratch } from '../helpers/scratch';

const TSX = join(__dirname, '../../node_modules/.bin/tsx');
// EMF takes timestamps up to 14 days back: the data is dated from the real clock.
const now = new Date();
const yesterday = dayBefore(now);
const scheduledEvent = {
  version: '0',
  id: 'b0f1c5a2-0000-4000-8000-000000000000',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/Daily'],
  detail: {},
};

/** What a document says, in a form a test can compare: dimensions, values, timestamp. */
function figures(doc: EmfDocument) {
  const [directive] = doc._aws.CloudWatchMetrics;
  const values = Object.fromEntries((directive?.Metrics ?? []).map((m) => [m.Name, doc[m.Name]]));
  const dimensions = Object.fromEntries((directive?.Dimensions[0] ?? []).map((d) => [d, doc[d]]));
  return { namespace: directive?.Namespace, dimensions, values, timestamp: doc._aws.Timestamp };
}

describe('monitor handler', () => {
  it('publishes yesterday’s figures per version, back-dated, and the live figures stamped now', async () => {
    // The quality fixture's second day is yesterday: v1 served live, precision 1/2, recall 1/1;
    // v3 shadowed one true negative (no precision or recall: nothing published); v2 shadowed
    // only the day before.
    const db = await openDatabase({ memory: true });
    await migrate(db);
    await insertQualityFixture(db, addDays(yesterday, -1), yesterday);
    const handler = createMonitorHandler({
      database: async () => db,
      metrics: new Metrics({ namespace: MONITOR_METRICS.namespace, serviceName: MONITOR_METRICS.service }),
      logger: new Logger({ logLevel: 'SILENT' }),
      now: () => now,
    });

    const { value: run, lines } = await captureJsonLines(() => handler(scheduledEvent));

    expect(run.day).toBe(yesterday);
    expect(emfDocuments(lines).map(figures)).toEqual([
      {
        namespace: 'BudgetExpenseMatcher',
        dimensions: { service: 'budget-expense-matcher-monitor', ModelVersion: 'v1' },
        values: { Precision: 0.5, Recall: 1 },
        timestamp: Date.parse(`${yesterday}T00:00:00Z`),
      },
      {
        namespace: 'BudgetExpenseMatcher',
        dimensions: { service: 'budget-expense-matcher-monitor' },
        values: { Precision: 0.5, Recall: 1 },
        timestamp: now.getTime(),
      },
      // Two days of history: too few for a trend or a shift, so nothing is flagged falling.
      {
        namespace: 'BudgetExpenseMatcher',
        dimensions: { service: 'budget-expense-matcher-monitor' },
        values: { QualityShifts: 0 },
        timestamp: now.getTime(),
      },
    ]);
    await db.close();
  }, 240_000);

  it('publishes the Theil–Sen slopes and counts the live figures falling after a step down', async () => {
    // 70 days of v1 live, both figures 0.9 then 0.8 from day 50 on (a step of 0.1), ending yesterday.
    const db = await openDatabase({ memory: true });
    await migrate(db);
    await insertSyntheticDays(
      db,
      'v1',
      syntheticDays(step(50, 0.1), { days: 70, seed: 4, start: addDays(yesterday, -69) }),
    );
    const handler = createMonitorHandler({
      database: async () => db,
      metrics: new Metrics({ namespace: MONITOR_METRICS.namespace, serviceName: MONITOR_METRICS.service }),
      logger: new Logger({ logLevel: 'SILENT' }),
      now: () => now,
    });

    const { value: run, lines } = await captureJsonLines(() => handler(scheduledEvent));

    const published = emfDocuments(lines).map(figures);
    expect(published[0]?.values).toMatchObject({
      PrecisionSlope: expect.any(Number),
      RecallSlope: expect.any(Number),
    });
    expect(published[0]?.values.RecallSlope).toBeLessThan(0);
    expect(run.shifts[0]).toMatchObject({ modelVersion: 'v1', recall: { shiftFlag: true } });
    expect(published.at(-1)).toMatchObject({
      dimensions: { service: 'budget-expense-matcher-monitor' },
      values: { QualityShifts: fallingFigures(run) },
    });
    expect(fallingFigures(run)).toBeGreaterThanOrEqual(1);
    await db.close();
  }, 240_000);

  it('reports on the day before the event’s time, not the clock’s', async () => {
    const db = await openDatabase({ memory: true });
    await migrate(db);
    const dayBeforeYesterday = addDays(yesterday, -1);
    await insertQualityFixture(db, addDays(yesterday, -2), dayBeforeYesterday);
    const handler = createMonitorHandler({
      database: async () => db,
      metrics: new Metrics({ namespace: MONITOR_METRICS.namespace, serviceName: MONITOR_METRICS.service }),
      logger: new Logger({ logLevel: 'SILENT' }),
      now: () => now,
    });
    // A delivery of yesterday's schedule, retried today.
    const retried = { ...scheduledEvent, time: new Date(now.getTime() - 86_400_000).toISOString() };

    const { value: run } = await captureJsonLines(() => handler(retried));

    expect(run.day).toBe(dayBeforeYesterday);
    expect(run.live).toMatchObject({ modelVersions: ['v1'], precision: 0.5, recall: 1 });
    await db.close();
  }, 240_000);

  it('publishes nothing, and says so, on a day without labelled pairs', async () => {
    const db = await openDatabase({ memory: true });
    await migrate(db);
    const handler = createMonitorHandler({
      database: async () => db,
      metrics: new Metrics({ namespace: MONITOR_METRICS.namespace, serviceName: MONITOR_METRICS.service }),
      logger: new Logger({ logLevel: 'INFO' }),
      now: () => now,
    });

    const { lines } = await captureJsonLines(() => handler(scheduledEvent));

    expect(emfDocuments(lines)).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'no labelled pairs', day: yesterday }));
    await db.close();
  }, 240_000);

  describe('as deployed (module scope, the results database from the environment)', () => {
    const dir = useScratch().dir('monitor');

    it('opens the database once, migrates it and publishes what it holds, run after run', async () => {
      const prepared = await openDatabase({ pgliteDir: dir });
      await migrate(prepared);
      await insertQualityFixture(prepared, addDays(yesterday, -1), yesterday);
      await prepared.close();
      const env = { ...process.env, RESULTS_DB_DIR: dir, DATABASE_URL: '', DATABASE_SECRET_ARN: '' };
      const event = JSON.stringify(scheduledEvent);

      const { stdout } = await promisify(execFile)(TSX, ['test/helpers/invoke-monitor.ts', event, event], {
        env,
      });

      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as unknown);
      const published = emfDocuments(lines).map(figures);
      expect(published.map((f) => f.dimensions)).toEqual([
        { service: 'budget-expense-matcher-monitor', ModelVersion: 'v1' },
        { service: 'budget-expense-matcher-monitor' },
        { service: 'budget-expense-matcher-monitor' },
        { service: 'budget-expense-matcher-monitor', ModelVersion: 'v1' },
        { service: 'budget-expense-matcher-monitor' },
        { service: 'budget-expense-matcher-monitor' },
      ]);
      expect(published[0]).toMatchObject({
        values: { Precision: 0.5, Recall: 1 },
        timestamp: Date.parse(`${yesterday}T00:00:00Z`),
      });
      expect(lines).toContainEqual(
        expect.objectContaining({ message: 'quality', model_version: 'v1', day: yesterday }),
      );
    }, 240_000);
  });
});
