import { type Database, migrate, openDatabase } from '../../lambda/db';
import { POSTGRES_SKIPPED } from './test-databases';

/** A migrated results database of a test's own, and how to let go of it. */
export interface TestDatabase {
  readonly db: Database;
  /** Closes it and drops what the test made. */
  readonly dispose: () => Promise<void>;
}

/**
 * Every database the monitoring tests run on: PGlite always, PostgreSQL when `DATABASE_URL` is set.
 * Each `open` gives a migrated database of its own: a fresh in-memory PGlite, or a private schema
 * on the server that every pooled connection uses (`search_path` set in the connection's startup
 * options, since a `SET` would reach one pooled connection only). Sessions run in a time zone
 * far from UTC, so a query that forgets to take the UTC day fails.
 */
export function monitoringTargets(): [string, (name: string) => Promise<TestDatabase>][] {
  const url = process.env.DATABASE_URL;
  return [
    [
      'PGlite',
      async () => {
        const db = await openDatabase({ memory: true });
        await db.exec(`SET TimeZone TO '${SESSION_TIME_ZONE}'`);
        await migrate(db);
        return { db, dispose: () => db.close() };
      },
    ],
    ...(url
      ? [
          [
            'PostgreSQL',
            async (name: string) => {
              const schema = `${name}_${process.pid}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
              const admin = await openDatabase({ url });
              await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
              const db = await openDatabase({
                pool: {
                  connectionString: url,
                  options: `-c search_path=${schema} -c TimeZone=${SESSION_TIME_ZONE}`,
                },
              });
              await migrate(db);
              return {
                db,
                dispose: async () => {
                  await db.close();
                  await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
                  await admin.close();
                },
              };
            },
          ] as [string, (name: string) => Promise<TestDatabase>],
        ]
      : []),
  ];
}

const SESSION_TIME_ZONE = 'Pacific/Kiritimati';

const describeSkipped = describe.skip;

/**
 * `describe.each(monitoringTargets())`, plus the PostgreSQL suite shown as skipped, with the
 * reason in its name, when `DATABASE_URL` is not set. `%s` in the title is the target's name.
 */
export function describeEachMonitoringTarget(
  title: string,
  fn: (name: string, open: (name: string) => Promise<TestDatabase>) => void,
): void {
  const targets = monitoringTargets();
  for (const [name, open] of targets) describe(title.replace('%s', name), () => fn(name, open));
  if (!targets.some(([name]) => name === 'PostgreSQL'))
    describeSkipped(`${title.replace('%s', 'PostgreSQL')} (${POSTGRES_SKIPPED})`, () =>
      fn('PostgreSQL', () => Promise.reject(new Error('DATABASE_URL is not set'))),
    );
}

/** A result row for a test, with defaults for what the test does not care about. */
export interface TestResult {
  readonly budget_id: string | null;
  readonly itemization_id: string | null;
  readonly score: number | null;
  readonly model_version: string;
  readonly scored_at: string;
  readonly role?: 'live' | 'shadow';
  /** @default 0.5 */
  readonly threshold?: number;
  /** @default score ≥ threshold */
  readonly decision?: boolean | null;
  /** @default a new request per row */
  readonly request_id?: string;
}

let nextRequest = 0;

/** Inserts result rows (an unscored row, `score: null`, gets an error code). */
export async function insertResults(db: Database, rows: readonly TestResult[]): Promise<void> {
  for (const r of rows) {
    const threshold = r.threshold ?? 0.5;
    const decision = r.decision !== undefined ? r.decision : r.score === null ? null : r.score >= threshold;
    await db.query(
      `INSERT INTO results (request_id, entry_index, role, budget_id, itemization_id, score, decision,
         threshold, model_version, error_code, scored_at)
       VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        r.request_id ?? `test-request-${nextRequest++}`,
        r.role ?? 'live',
        r.budget_id,
        r.itemization_id,
        r.score,
        decision,
        threshold,
        r.model_version,
        r.score === null ? 'unknown_category' : null,
        r.scored_at,
      ],
    );
  }
}

/** Inserts labels: `[budget_id, itemization_id, is_match]`. */
export async function insertLabels(
  db: Database,
  labels: readonly (readonly [string, string, boolean])[],
): Promise<void> {
  for (const [budget, item, isMatch] of labels) {
    await db.query(
      `INSERT INTO labels (budget_id, itemization_id, is_match, source) VALUES ($1, $2, $3, 'test')`,
      [budget, item, isMatch],
    );
  }
}

/**
 * A day of one version's labelled pairs with the given confusion counts (each pair scored once,
 * at noon UTC; a predicted match scores 0.9, a predicted non-match 0.1; threshold 0.5).
 */
export async function insertDay(
  db: Database,
  day: string,
  modelVersion: string,
  counts: { readonly tp: number; readonly fp: number; readonly fn: number; readonly tn: number },
): Promise<void> {
  const results: TestResult[] = [];
  const labels: [string, string, boolean][] = [];
  for (const [outcome, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) {
      const pair = [`${day}-${modelVersion}`, `${outcome}-${i}`] as const;
      const predicted = outcome === 'tp' || outcome === 'fp';
      results.push({
        budget_id: pair[0],
        itemization_id: pair[1],
        score: predicted ? 0.9 : 0.1,
        model_version: modelVersion,
        scored_at: `${day}T12:00:00Z`,
      });
      labels.push([pair[0], pair[1], outcome === 'tp' || outcome === 'fn']);
    }
  }
  await insertResults(db, results);
  await insertLabels(db, labels);
}

/**
 * The small data set the quality tests work out by hand (their comments do the arithmetic):
 * version v1 serving live on `day1` and `day2`, candidate v2 shadowing on `day1`, candidate v3
 * shadowing one true negative on `day2`. Every score is threshold 0.5 except where noted.
 *
 * | pair   | label | day1 v1        | day1 v2 (shadow) | day2 v1               | day2 v3 |
 * |--------|-------|----------------|------------------|-----------------------|---------|
 * | b1/i1  | match | 0.9 tp         | 0.4 fn           |                       |         |
 * | b1/i2  | no    | 0.7 fp         | 0.25 tn          |                       |         |
 * | b1/i3  | match | 0.3 fn         | 0.6 tp           |                       |         |
 * | b1/i4  | no    | 0.1 tn         |                  |                       |         |
 * | b1/i5  | match | 1.0 tp         |                  |                       |         |
 * | b1/i6  | —     | 0.5 (no label) |                  |                       |         |
 * | b1/i7  | match | 0.24 fn        |                  |                       |         |
 * | b2/i1  | match | 0.2 at 23:59:59 (superseded) |    | 0.9 at 00:00:00 tp    |         |
 * | b2/i2  | no    |                |                  | 0.3 at threshold 0.25 fp |      |
 * | b2/i3  | no    |                |                  | 0.1 tn                | 0.1 tn  |
 * | b9/—   | —     | error row      |                  |                       |         |
 */
export async function insertQualityFixture(db: Database, day1: string, day2: string): Promise<void> {
  const at = (day: string, time = '12:00:00') => `${day}T${time}Z`;
  const v1 = (budget: string, item: string, score: number | null, scoredAt = at(day1)) => ({
    budget_id: budget,
    itemization_id: item,
    score,
    model_version: 'v1',
    scored_at: scoredAt,
  });
  await insertResults(db, [
    v1('b1', 'i1', 0.9),
    v1('b1', 'i2', 0.7),
    v1('b1', 'i3', 0.3),
    v1('b1', 'i4', 0.1),
    v1('b1', 'i5', 1.0),
    v1('b1', 'i6', 0.5),
    v1('b1', 'i7', 0.24),
    v1('b2', 'i1', 0.2, at(day1, '23:59:59')),
    v1('b9', 'i1', null),
    ...[
      ['i1', 0.4],
      ['i2', 0.25],
      ['i3', 0.6],
    ].map(([item, score]) => ({
      budget_id: 'b1',
      itemization_id: item as string,
      score: score as number,
      model_version: 'v2',
      role: 'shadow' as const,
      scored_at: at(day1),
    })),
    v1('b2', 'i1', 0.9, at(day2, '00:00:00')),
    { ...v1('b2', 'i2', 0.3, at(day2)), threshold: 0.25 },
    v1('b2', 'i3', 0.1, at(day2)),
    { ...v1('b2', 'i3', 0.1, at(day2)), model_version: 'v3', role: 'shadow' },
  ]);
  await insertLabels(db, [
    ['b1', 'i1', true],
    ['b1', 'i2', false],
    ['b1', 'i3', true],
    ['b1', 'i4', false],
    ['b1', 'i5', true],
    ['b1', 'i7', true],
    ['b2', 'i1', true],
    ['b2', 'i2', false],
    ['b2', 'i3', false],
  ]);
}
