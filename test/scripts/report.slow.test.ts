import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrate, openDatabase } from '../../lambda/db';
import { addDays, toDay } from '../../lambda/monitoring';
import { insertDay, insertQualityFixture } from '../helpers/monitoring-database';
import { useScratch } from '../helpers/scratch';

const scratch = useScratch();

const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const today = toDay(new Date());
const yesterday = addDays(today, -1);

/** Runs `npm run report` on the PGlite database in `dir`. */
async function report(dir: string, ...args: string[]) {
  const env = { ...process.env, RESULTS_DB_DIR: dir, DATABASE_URL: '', DATABASE_SECRET_ARN: '' };
  return promisify(execFile)(TSX, ['scripts/report.ts', ...args], { cwd: ROOT, env });
}

// Each test starts `npm run report` (tsx, PGlite, migrations) in a process of its own: minutes
// on a busy shared machine.
describe('npm run report', () => {
  const tempDir = () => scratch.dir('report');

  it('prints the recent days and writes an HTML report with both charts and the table', async () => {
    // The quality fixture ends yesterday (v1: support 3, precision 1/2, recall 1, F1 2/3; v3: one
    // true negative, no figures). Version vt has the trend tests' series, its day 7 (precision
    // 3/10) flagged with span 3, the 4 trailing days, k 3 and at least 4 values; its day n is
    // today − (12 − n).
    const dir = tempDir();
    const db = await openDatabase({ pgliteDir: join(dir, 'db') });
    await migrate(db);
    await insertQualityFixture(db, addDays(yesterday, -1), yesterday);
    const counts: [number, number, number][] = [
      [1, 4, 1],
      [2, 9, 1],
      [3, 4, 1],
      [4, 9, 1],
      [5, 4, 1],
      [6, 9, 1],
      [7, 3, 7],
      [8, 9, 1],
    ];
    for (const [n, tp, fp] of counts)
      await insertDay(db, addDays(today, n - 12), 'vt', { tp, fp, fn: 0, tn: 0 });
    await db.close();
    const out = join(dir, 'quality.html');

    const { stdout } = await report(
      join(dir, 'db'),
      ...['--out', out, '--span', '3', '--trailing', '4', '--min-history', '4', '--days', '14'],
    );

    const line = (day: string, version: string) =>
      stdout.split('\n').find((l) => l.startsWith(day) && l.includes(` ${version} `));
    // Day 7: precision 0.3, recall 1, F1 6/13; EWMA 0.5828125 (worked out in the trend tests).
    expect(line(addDays(today, -5), 'vt')?.split(/\s{2,}/)).toEqual([
      addDays(today, -5),
      'vt',
      'live',
      '10',
      '0.300',
      '1.000',
      '0.462',
      '0.583',
      '1.000',
      'precision',
    ]);
    expect(line(addDays(today, -4), 'vt')).not.toMatch(/precision$/);
    // v1 yesterday; its EWMAs (alpha 0.5) start from the day before's 2/3 and 1/2:
    // 0.5·0.5 + 0.5·2/3 = 0.583 and 0.5·1 + 0.5·0.5 = 0.75.
    expect(line(yesterday, 'v1')?.split(/\s{2,}/)).toEqual([
      yesterday,
      'v1',
      'live',
      '3',
      '0.500',
      '1.000',
      '0.667',
      '0.583',
      '0.750',
    ]);
    expect(
      line(yesterday, 'v3')
        ?.split(/\s{2,}/)
        .slice(3, 7),
    ).toEqual(['1', '—', '—', '—']);
    expect(stdout).toContain(`HTML report: ${out}`);

    const html = readFileSync(out, 'utf8');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    // The quality chart marks the flagged day in red; both charts are drawn by Vega.
    expect(svgs[0]).toContain('#d62728');
    for (const svg of svgs) expect(svg).toContain('class="marks"');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('<tr class="flagged">');
    expect(html).toContain(`<td>${yesterday}</td><td>v1</td><td>live</td><td>3</td><td>0.500</td>`);
    // The what-if: v1's labelled pairs of the two fixture days; its own threshold and the best F1.
    expect(stdout).toContain('Threshold what-if');
    expect(stdout).toMatch(/v1\s+live\s+best F1\s+0\.110\s+0\.714\s+1\.000\s+0\.833/);
    expect(html).toContain('<h2>Threshold what-if</h2>');
    expect(html).toContain(
      '<td>v1</td><td>live</td><td>the model’s own (recorded decisions)</td><td>0.500</td><td>0.600</td>',
    );
    expect(html).toContain('<h2>Robust trend and shifts</h2>');
    expect(html).toContain('<h2>False positives and false negatives</h2>');
    expect(html).toContain('false positive  v1 (live)  score 0.700 ≥ 0.500');
  }, 240_000);

  it('lists the most confident errors with the captured budget and item side by side (--errors)', async () => {
    const dir = tempDir();
    const db = await openDatabase({ pgliteDir: join(dir, 'db') });
    await migrate(db);
    await insertQualityFixture(db, addDays(yesterday, -1), yesterday);
    const { rows } = await db.query<{ request_id: string }>(
      `SELECT request_id FROM results WHERE budget_id = 'b1' AND itemization_id = 'i2' AND model_version = 'v1'`,
    );
    const request = {
      budgets: [
        { budget_id: 'b1', budget_type_budget: 'flight', travel_vendor_receipts: 'Southwest Airlines' },
      ],
      all_user_expense_lineitems: [
        { itemization_id: 'i2', vendor_name_expense: 'UBER   *TRIP', expensed_amount_itemization: 24 },
      ],
    };
    await db.query('INSERT INTO captures (request_id, captured_at, request) VALUES ($1, now(), $2)', [
      rows[0]?.request_id,
      JSON.stringify(request),
    ]);
    await db.close();

    const { stdout } = await report(join(dir, 'db'), '--errors', '--top', '1', '--out', join(dir, 'e.html'));

    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('false positive  v1 (live)  score 0.700 ≥ 0.500'));
    expect(at).toBeGreaterThan(-1);
    expect(lines[at + 1]?.trim()).toMatch(/^budget\s+line item$/);
    expect(lines[at + 2]?.trim()).toMatch(/^type\s+flight\s+amount\s+24$/);
    expect(lines[at + 4]?.trim()).toMatch(/^actual cost\s+—\s+vendor\s+UBER {3}\*TRIP$/);
    expect(lines[at + 5]?.trim()).toMatch(/^travel vendor\s+Southwest Airlines\s+type\s+—$/);
    // --top 1: one of each kind per version; v1's missed b1/i7 (0.24) was not captured.
    expect(stdout).toContain('false negative  v1 (live)  score 0.240 < 0.500');
    expect(stdout).toContain('(request not captured');
    expect(stdout).not.toContain('b1 × item i3');
  }, 240_000);

  it('says there is nothing to show on an empty database, and still writes the page', async () => {
    const dir = tempDir();
    const out = join(dir, 'empty.html');

    const { stdout } = await report(join(dir, 'db'), '--out', out);

    expect(stdout).toContain('No labelled results between');
    expect(stdout).toContain('no scored results either');
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('<svg');
    expect(html).toContain('No labelled results in these days.');
  }, 240_000);

  it('prints its usage with --help and fails on a bad option', async () => {
    const dir = tempDir();
    const { stdout } = await report(join(dir, 'db'), '--help');
    expect(stdout).toContain('usage: npm run report');

    await expect(report(join(dir, 'db'), '--days', 'x')).rejects.toMatchObject({
      stderr: expect.stringContaining('--days'),
    });
  }, 240_000);
});
