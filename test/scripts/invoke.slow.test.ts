import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { handler } from '../../lambda/predict';
import { loadRequest } from '../helpers/events';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `npm run invoke -- ...args` (its script, without npm's banner) and collects what it prints. */
function runInvoke(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['scripts/invoke.ts', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

describe('npm run invoke', () => {
  it('prints the reply to an event on stdout, and the log and duration on stderr', async () => {
    const { code, stdout, stderr } = await runInvoke('events/seed-request.json');

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(await handler(loadRequest('seed-request')));
    expect(stderr).toMatch(/^START RequestId: \S+ Version: \$LATEST$/m);
    expect(stderr).toMatch(/^REPORT RequestId: \S+\tDuration: [\d.]+ ms/m);
    expect(stderr).toMatch(/^duration [\d.]+ ms \(init [\d.]+ ms\)$/m);
  });

  it('runs an API Gateway event through the same handler, under the live alias', async () => {
    const { code, stdout } = await runInvoke('events/api-gateway-seed.json', '--qualifier', 'live');

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expect.objectContaining({ statusCode: 200 }));
  });

  it('says which file it cannot read, and how to call it, with exit code 2', async () => {
    const { code, stdout, stderr } = await runInvoke('events/no-such-event.json');

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('cannot read events/no-such-event.json');
    expect(stderr).toContain('usage: npm run invoke');
  });
});
