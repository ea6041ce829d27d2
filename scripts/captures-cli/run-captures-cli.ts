import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from '../../lambda/db';

export interface CapturesCliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Opens the results database (`openResultsDatabase` in the CLI). */
  readonly openDatabase: () => Promise<Database>;
  /** The capture folder (`CAPTURE_DIR`, default `.data/captures`). */
  readonly dir: string;
}

export const CAPTURES_USAGE = `usage: npm run captures -- load [--from YYYY-MM-DD] [--to YYYY-MM-DD]
       npm run captures -- delete (--budget-id <id> | --itemization-id <id> | --request-id <id>)

load    copies the captured requests of the days (all days by default) from the capture folder
        into the captures table, where the SQL view pair_errors and npm run report -- --errors
        read them; a capture already loaded is left as it is.
delete  removes every captured request that holds the budget or line item (one user's requests:
        a request carries one user's budgets and expenses), or the one request, from the
        capture folder and from the captures table, and says how many went.`;

/** Captures per insert statement. */
const CHUNK = 500;

interface CaptureFile {
  readonly path: string;
  readonly day: string;
  readonly document: { request_id?: unknown; captured_at?: unknown; request?: unknown };
}

/** Every capture file of the days in [from, to] (either open), with its parsed document. */
async function* captureFiles(
  dir: string,
  from?: string,
  to?: string,
  err?: (l: string) => void,
): AsyncGenerator<CaptureFile> {
  let days: string[];
  try {
    days = (await readdir(dir)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  } catch {
    return;
  }
  for (const day of days) {
    if ((from && day < from) || (to && day > to)) continue;
    for (const name of (await readdir(join(dir, day))).filter((n) => n.endsWith('.json')).sort()) {
      const path = join(dir, day, name);
      try {
        yield { path, day, document: JSON.parse(await readFile(path, 'utf8')) as CaptureFile['document'] };
      } catch (error) {
        err?.(`${path}: not a capture (${error instanceof Error ? error.message : String(error)}); skipped`);
      }
    }
  }
}

/** Whether a captured request holds an element of `list` whose `key` is `id` (ids as text). */
function holds(request: unknown, list: string, key: string, id: string): boolean {
  const elements = (request as Record<string, unknown> | null)?.[list];
  return (
    Array.isArray(elements) &&
    elements.some(
      (e) => e !== null && typeof e === 'object' && String((e as Record<string, unknown>)[key]) === id,
    )
  );
}

/**
 * `npm run captures -- load | delete`; returns the exit code (0 done, 2 usage).
 */
export async function runCapturesCli(args: readonly string[], io: CapturesCliIo): Promise<number> {
  const [command, ...rest] = args;
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'budget-id': { type: 'string' },
        'itemization-id': { type: 'string' },
        'request-id': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${CAPTURES_USAGE}`);
    return 2;
  }
  if (command === 'load') return load(io, values.from, values.to);
  const chosen = (['budget-id', 'itemization-id', 'request-id'] as const).filter(
    (k) => values[k] !== undefined,
  );
  if (command === 'delete' && chosen.length === 1) {
    const key = chosen[0] as 'budget-id' | 'itemization-id' | 'request-id';
    return remove(io, key, values[key] as string);
  }
  io.err(CAPTURES_USAGE);
  return 2;
}

async function load(io: CapturesCliIo, from?: string, to?: string): Promise<number> {
  const db = await io.openDatabase();
  let read = 0;
  let loaded = 0;
  try {
    let batch: [string, string, string][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const { rows } = await db.query<{ n: number }>(
        `WITH inserted AS (
           INSERT INTO captures (request_id, captured_at, request)
           SELECT id, at, body::jsonb FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS t(id, at, body)
           ON CONFLICT (request_id) DO NOTHING
           RETURNING 1)
         SELECT count(*)::int AS n FROM inserted`,
        [batch.map((b) => b[0]), batch.map((b) => b[1]), batch.map((b) => b[2])],
      );
      loaded += rows[0]?.n ?? 0;
      batch = [];
    };
    for await (const file of captureFiles(io.dir, from, to, io.err)) {
      const { request_id: id, captured_at: at, request } = file.document;
      if (typeof id !== 'string' || typeof at !== 'string') {
        io.err(`${file.path}: no request_id or captured_at; skipped`);
        continue;
      }
      read++;
      batch.push([id, at, JSON.stringify(request ?? null)]);
      if (batch.length >= CHUNK) await flush();
    }
    await flush();
  } finally {
    await db.close();
  }
  io.out(
    `captures: ${read} read from ${io.dir}, ${loaded} loaded (${read - loaded} were already in the table)`,
  );
  return 0;
}

async function remove(
  io: CapturesCliIo,
  key: 'budget-id' | 'itemization-id' | 'request-id',
  id: string,
): Promise<number> {
  const matches = (doc: CaptureFile['document']) =>
    key === 'request-id'
      ? doc.request_id === id
      : key === 'budget-id'
        ? holds(doc.request, 'budgets', 'budget_id', id)
        : holds(doc.request, 'all_user_expense_lineitems', 'itemization_id', id);
  let files = 0;
  for await (const file of captureFiles(io.dir, undefined, undefined, io.err)) {
    if (!matches(file.document)) continue;
    await unlink(file.path);
    files++;
  }
  const db = await io.openDatabase();
  let rows = 0;
  try {
    const where =
      key === 'request-id'
        ? 'request_id = $1'
        : key === 'budget-id'
          ? `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(request -> 'budgets') = 'array' THEN request -> 'budgets' ELSE '[]'::jsonb END) e WHERE e ->> 'budget_id' = $1)`
          : `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(request -> 'all_user_expense_lineitems') = 'array' THEN request -> 'all_user_expense_lineitems' ELSE '[]'::jsonb END) e WHERE e ->> 'itemization_id' = $1)`;
    const result = await db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM captures WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [id],
    );
    rows = result.rows[0]?.n ?? 0;
  } finally {
    await db.close();
  }
  io.out(
    `captures: deleted ${files} file(s) from ${io.dir} and ${rows} row(s) from the captures table holding ${key} ${id}`,
  );
  return 0;
}
