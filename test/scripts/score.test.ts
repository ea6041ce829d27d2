import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type CountingServer, makeRequest, predictHandler, startCounting } from '../helpers/requests';
import { useScratch } from '../helpers/scratch';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SCORE = join(ROOT, 'scripts', 'score.ts');

function lineCount(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0;
}

describe('npm run score, killed and run again', () => {
  const work = useScratch().dir('score-cli');
  const input = join(work, 'requests.jsonl');
  const out = join(work, 'replies.jsonl');
  const count = 300;
  let server: CountingServer;

  beforeAll(async () => {
    // Each line's ids carry its line number, so a reply says which request it answers.
    const requests = Array.from({ length: count }, (_, tag) =>
      JSON.stringify(makeRequest({ budgets: 3, items: 60, tag })),
    );
    writeFileSync(input, `${requests.join('\n')}\n`);
    server = await startCounting(predictHandler());
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers every line once, in order, after being killed mid-run', async () => {
    const args = [SCORE, input, '--out', out, '--endpoint-url', server.url, '--concurrency', '4'];
    // Its own process group: tsx runs the script in a child process, and the kill must reach both.
    const child: ChildProcess = spawn(TSX, args, { stdio: 'ignore', detached: true });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Kill it (no chance to tidy up) once some lines are written and well before the end.
    for (let i = 0; i < 600 && lineCount(out) < 20; i++) await new Promise((r) => setTimeout(r, 50));
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    const before = lineCount(out);

    const { stdout } = await promisify(execFile)(TSX, args, { cwd: ROOT });

    expect(before).toBeGreaterThanOrEqual(20);
    expect(before).toBeLessThan(count);
    expect(stdout).toContain(`resumed after line ${before}`);
    expect(stdout).toContain('answered');
    const written = readFileSync(out, 'utf8').split('\n');
    expect(written.pop()).toBe('');
    expect(written).toHaveLength(count);
    written.forEach((line, tag) => {
      const reply = JSON.parse(line) as { budget_id: string; itemization_id: string }[];
      expect(reply).toHaveLength(3 * 60);
      expect(
        reply.every((e) => e.budget_id.startsWith(`${tag}-`) && e.itemization_id.startsWith(`${tag}-`)),
      ).toBe(true);
    });
  });
});
