import { migrate, openPglite } from './lambda/db';
import { columnsBatch, emptyColumns, appendPairs, writeIsolating } from './lambda/results';
import { mkdtempSync } from 'node:fs';
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
async function main() {
  const batch = Number(process.argv[2] ?? 20000);
  console.log('start', rss());
  const db = await openPglite({ pgliteDir: mkdtempSync('/tmp/memtest-') });
  console.log('opened', rss());
  await migrate(db);
  console.log('migrated', rss());
  const items = Array.from({ length: 200 }, (_, i) => `i${i}`);
  const budgets = Array.from({ length: 10 }, (_, i) => `b${i}`);
  let req = 0;
  const t0 = performance.now();
  for (let round = 0; round < 40; round++) {
    const cols = emptyColumns();
    while (cols.request_id.length < batch) appendPairs(cols, { request_id: `r${req++}`, role: 'live', model_version: 'v1', threshold: 0.5, scored_at: new Date().toISOString(), budgets, items, scores: Array.from({ length: 2000 }, () => Math.round(Math.random() * 1e6) / 1e6) });
    await writeIsolating(db, columnsBatch(cols));
    if (round % 10 === 9) console.log('round', round, 'rss', rss(), 'rows/s', Math.round((req * 2000) / ((performance.now() - t0) / 1000)));
  }
}
void main();
