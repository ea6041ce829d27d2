import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type Database, migrate, openDatabase } from '../lambda/db';
import { RESULT_COLUMNS, type ResultRow, writeResults } from '../lambda/results';
import { writeFigures } from '../scripts/figures/write-figures';
import { type InsertTiming, insertShapeFigures, MAX_PARAMETERS } from './insert-shapes-figures';

/**
 * `npm run bench:insert [-- --rows 20000 --runs 3 --chunk 5000]`: why the writer inserts result
 * rows with one `unnest` statement (`lambda/results/write-results.ts`) rather than a multi-row
 * `VALUES` list. Inserts the same rows into an empty `results` table (the migrations' schema,
 * indexes included) both ways, `--runs` times each: `unnest` through the writer's own
 * `writeResults`, `VALUES` in statements of `--chunk` rows (11 parameters a row, so at most
 * 5,957 rows a statement). On PostgreSQL (`DATABASE_URL`, in a schema of its own, dropped at the
 * end) and on PGlite in memory. Writes its figures (`.data/figures/insert-shapes.json`).
 */
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    chunk: { type: 'string', default: '5000' },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const CHUNK = Number(values.chunk);

/** The results table's columns, in the writer's order. */
const COLUMNS = RESULT_COLUMNS;

/** Rows shaped like a scored request's: 100 requests of `rows / 100` pairs, a few error entries. */
function resultRows(count: number): ResultRow[] {
  const perRequest = Math.max(1, Math.ceil(count / 100));
  const scoredAt = new Date('2026-12-01T12:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const failed = i % 97 === 0;
    const score = failed ? null : ((i * 7919) % 10_000) / 10_000;
    return {
      request_id: `bench-${Math.floor(i / perRequest)}`,
      entry_index: i % perRequest,
      role: 'live',
      budget_id: `${300_000 + (i % 50)}`,
      itemization_id: failed ? null : `${4_600_000 + i}`,
      score,
      decision: score === null ? null : score >= 0.5,
      threshold: 0.5,
      model_version: '2026-11-23T084617Z',
      error_code: failed ? 'missing_field' : null,
      scored_at: new Date(scoredAt.getTime() + i).toISOString(),
    };
  });
}

/** The writer's statement with a `VALUES` list instead of `unnest`: same conflict rule, same count. */
function valuesStatement(rows: number): string {
  const tuples = Array.from(
    { length: rows },
    (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`,
  );
  return `WITH inserted AS (
  INSERT INTO results (${COLUMNS.join(', ')})
  VALUES ${tuples.join(',\n')}
  ON CONFLICT (request_id, role, entry_index) DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS inserted FROM inserted`;
}

async function insertValues(db: Database, rows: readonly ResultRow[]): Promise<number> {
  let inserted = 0;
  for (let from = 0; from < rows.length; from += CHUNK) {
    const chunk = rows.slice(from, from + CHUNK);
    const { rows: result } = await db.query<{ inserted: number }>(
      valuesStatement(chunk.length),
      chunk.flatMap((row) => COLUMNS.map((c) => row[c])),
    );
    inserted += result[0]?.inserted ?? 0;
  }
  return inserted;
}

/** Times each shape `RUNS` times, alternating, each into an emptied table. */
async function measure(database: string, db: Database): Promise<InsertTiming[]> {
  const rows = resultRows(ROWS);
  const shapes = [
    { shape: 'unnest' as const, statements: 1, insert: () => writeResults(db, rows) },
    {
      shape: 'values' as const,
      statements: Math.ceil(ROWS / CHUNK),
      insert: () => insertValues(db, rows),
    },
  ];
  const ms = new Map(shapes.map((s) => [s.shape, [] as number[]]));
  // One untimed round: the first statements of a connection pay for planning and caches.
  for (const s of shapes) {
    await db.exec('TRUNCATE results');
    await s.insert();
  }
  for (let run = 0; run < RUNS; run++) {
    for (const s of shapes) {
      await db.exec('TRUNCATE results');
      const started = performance.now();
      const inserted = await s.insert();
      ms.get(s.shape)?.push(performance.now() - started);
      if (inserted !== ROWS) throw new Error(`${database} ${s.shape}: inserted ${inserted} of ${ROWS} rows`);
    }
  }
  return shapes.map((s) => ({
    database,
    shape: s.shape,
    statements: s.statements,
    ms: ms.get(s.shape) ?? [],
  }));
}

async function onPostgres(url: string): Promise<InsertTiming[]> {
  const schema = `bench_insert_${process.pid}`;
  const admin = await openDatabase({ url });
  await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openDatabase({ url: scoped.toString() });
  try {
    await migrate(db);
    const { rows } = await db.query<{ server_version: string }>('SHOW server_version');
    return await measure(`PostgreSQL ${rows[0]?.server_version.split(' ')[0] ?? '?'}`, db);
  } finally {
    await db.close();
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  }
}

async function onPglite(): Promise<InsertTiming[]> {
  const db = await openDatabase({ memory: true });
  try {
    await migrate(db);
    return await measure('PGlite (in memory)', db);
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  if (!(ROWS > 0 && RUNS > 0 && CHUNK > 0 && CHUNK * COLUMNS.length <= MAX_PARAMETERS)) {
    throw new Error(
      `--rows, --runs, --chunk: positive whole numbers, --chunk at most ${Math.floor(MAX_PARAMETERS / COLUMNS.length)}`,
    );
  }
  const loadAtStart = loadavg();
  const timings: InsertTiming[] = [];
  const url = process.env.DATABASE_URL;
  if (url) timings.push(...(await onPostgres(url)));
  else console.log('PostgreSQL: not measured (DATABASE_URL is not set)');
  timings.push(...(await onPglite()));
  const args = process.argv.slice(2);
  const figures = insertShapeFigures({
    command: `npm run bench:insert${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
    rows: ROWS,
    columns: COLUMNS.length,
    chunk: CHUNK,
    loadAverage: { start: loadAtStart, end: loadavg() },
    timings,
  });
  for (const row of figures.tables?.[0]?.rows ?? []) console.log(row.join('  '));
  console.log(`figures: ${writeFigures('insert-shapes', figures)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
