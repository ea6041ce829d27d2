import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, readFileSync } from 'node:fs';
import { migrate, openPglite } from './lambda/db';
import { columnsBatch, emptyColumns, appendPairs, writeIsolating } from './lambda/results';
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
async function main() {
  const conf = process.argv.slice(2);
  const dir = mkdtempSync('/tmp/memtest-');
  // initdb elsewhere first (a throwaway PGlite), then open the existing dir
  const init = await PGlite.create({ dataDir: dir });
  await init.close();
  console.log('after initdb in this process', rss());
  const db0 = await PGlite.create({ dataDir: dir, ...(conf.length ? { postgresqlconf: conf } : {}) });
  console.log('opened existing', rss());
  await db0.close();
}
async function open2() {
  const conf = process.argv.slice(3);
  const dir = process.argv[2]!;
  console.log('start', rss());
  const db = await PGlite.create({ dataDir: dir, ...(conf.length ? { postgresqlconf: conf } : {}) });
  const wrapped = { kind: 'pglite', pglite: db, query: (s: string, p?: unknown[]) => db.query(s, p as never), exec: async (s: string) => { await db.exec(s); }, transaction: (w: any) => db.transaction((tx) => w({ query: (s: string, p?: unknown[]) => tx.query(s, p as never), exec: async (s: string) => { await tx.exec(s); } })), close: () => db.close() } as any;
  console.log('opened existing', rss());
  await migrate(wrapped);
  const items = Array.from({ length: 200 }, (_, i) => `i${i}`);
  const budgets = Array.from({ length: 10 }, (_, i) => `b${i}`);
  let req = 0; const t0 = performance.now();
  for (let round = 0; round < 30; round++) {
    const cols = emptyColumns();
    while (cols.request_id.length < 20000) appendPairs(cols, { request_id: `r${req++}`, role: 'live', model_version: 'v1', threshold: 0.5, scored_at: new Date().toISOString(), budgets, items, scores: Array.from({ length: 2000 }, () => Math.round(Math.random() * 1e6) / 1e6) });
    await writeIsolating(wrapped, columnsBatch(cols));
  }
  console.log('after 600k rows', rss(), 'rows/s', Math.round((req * 2000) / ((performance.now() - t0) / 1000)));
  await db.close();
}
if (process.argv[2]?.startsWith('/')) void open2(); else void main();
