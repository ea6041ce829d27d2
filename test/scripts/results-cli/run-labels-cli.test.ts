import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLabelsCli } from '../../../scripts/results-cli/run-labels-cli';
import { useScratch } from '../../helpers/scratch';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../helpers/test-databases';

describeEachDatabase('npm run labels -- load, on %s', (kind) => {
  let test: TestDatabase;
  const scratch = useScratch();
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];
  beforeEach(async () => {
    test = await openTestDatabase(kind);
    dir = scratch.dir('labels');
    out.length = 0;
    err.length = 0;
  });
  afterEach(async () => {
    await test.drop();
  });
  const io = () => ({
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    // The CLI closes what it opens; the test keeps its own connection.
    openDatabase: async () => ({ ...test.db, close: async () => {} }),
    now: () => new Date('2026-11-23T12:00:00.000Z'),
  });

  it('loads the good lines of a CSV, reports the bad one by line and field, and exits 1', async () => {
    const file = join(dir, 'labels.csv');
    writeFileSync(
      file,
      'budget_id,itemization_id,match\n309366,4659497,true\n309366,4659496,maybe\n309367,4659498,false\n',
    );

    const code = await runLabelsCli(['load', file], io());

    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/labels\.csv:3: match: match must be true or false \(invalid_field\)$/),
    ]);
    expect(out).toEqual([
      expect.stringContaining(
        '3 labels read, 2 loaded (2 new or changed), 1 bad lines; source "file:labels.csv"',
      ),
    ]);
    const { rows } = await test.db.query(
      'SELECT budget_id, itemization_id, is_match, source FROM labels ORDER BY budget_id',
    );
    expect(rows).toEqual([
      { budget_id: '309366', itemization_id: '4659497', is_match: true, source: 'file:labels.csv' },
      { budget_id: '309367', itemization_id: '4659498', is_match: false, source: 'file:labels.csv' },
    ]);
  });

  it('loads JSONL with --source and exits 0; loading it again changes nothing', async () => {
    const file = join(dir, 'labels.jsonl');
    writeFileSync(
      file,
      '{"budget_id":"1","itemization_id":"2","match":true}\n{"budget_id":"1","itemization_id":"3","match":false}\n',
    );

    const first = await runLabelsCli(['load', file, '--source', 'audit-2026'], io());
    const again = await runLabelsCli(['load', file, '--source', 'audit-2026'], io());

    expect([first, again]).toEqual([0, 0]);
    expect(out[1]).toContain('2 loaded (2 new or changed)');
    const { rows } = await test.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM labels WHERE source = 'audit-2026'",
    );
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('exits 2 with the usage for bad arguments or a file of another kind', async () => {
    expect(await runLabelsCli(['load'], io())).toBe(2);
    expect(await runLabelsCli(['load', 'x.txt'], io())).toBe(2);
    expect(await runLabelsCli(['load', 'x.csv', '--sauce', 'y'], io())).toBe(2);
    expect(err[0]).toMatch(/^usage: npm run labels -- load/);
  });
});
