import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEcho } from '../../../local/invoke';
import { InstancePool, type InstancePoolOptions } from '../../../local/lambda-runtime/instance-pool';
import { lambdaEnvironment } from '../../../local/lambda-runtime/lambda-environment';
import { resolveNode24 } from '../../../local/lambda-runtime/node-binary';
import type { StackFunction } from '../../../local/lambda-runtime/stack-functions';
import { processState } from '../../helpers/process-state';
import { TINY_CALL, tinyStackFunction, useTinyLayout } from '../../helpers/tiny-function';

/**
 * The instance's log file (`function-instance.ts`, `runtime-loop.cjs`): what a function writes
 * during an invocation goes to it and is read by the server. These tests hold its rotation at
 * 1 MiB, its removal when the instance ends, a full disk, and which lines Lambda puts in an
 * invocation's `Tail` (an uncaught error's line: yes; a line written after the reply: no, and
 * with the instance frozen between invocations, as Lambda freezes it, not before the next one).
 */

const FN: StackFunction = tinyStackFunction();

const MiB = 1024 * 1024;

describe("FunctionInstance's log file", () => {
  const layout = useTinyLayout();
  let pools: InstancePool[] = [];

  afterEach(async () => {
    await Promise.all(pools.map((p) => p.close()));
    pools = [];
  });

  /** A pool whose invocation logs and instance output all go to `echoed`, in the order written. */
  function pool({
    logFileBytes,
    ...options
  }: Partial<InstancePoolOptions> & { fn?: Partial<StackFunction>; logFileBytes?: number } = {}) {
    const echoed: string[] = [];
    const echo: LogEcho = (chunk) => void echoed.push(chunk.toString('utf8'));
    const fn = { ...FN, ...options.fn };
    const created = new InstancePool({
      instance: {
        layout: layout(),
        node: resolveNode24(),
        echo,
        ...(logFileBytes === undefined ? {} : { logFileBytes }),
        env: lambdaEnvironment({
          functionName: 'tiny',
          fn,
          layout: layout(),
          region: 'eu-west-1',
          env: {},
          deployTime: {},
        }),
      },
      memorySizeMb: fn.memorySizeMb,
      timeoutSeconds: fn.timeoutSeconds,
      maxInstances: 1,
      idleSeconds: 60,
      memoryPollMs: 20,
      echo,
      ...options,
    });
    pools.push(created);
    return { functions: created, echoed };
  }

  /** The instance log files in the function's folder (one pool at a time in this file). */
  const logFiles = () =>
    readdirSync(layout().root)
      .filter((name) => name.startsWith('instance-log-'))
      .map((name) => ({ name, bytes: statSync(join(layout().root, name)).size }));

  /** The numbers of the `line <n>` lines `requestId` logged, in the order they appear in `text`. */
  const lineNumbers = (text: string, requestId: string) =>
    [...text.matchAll(new RegExp(`\\t${requestId}\\tINFO\\tline (\\d+) x*\\n`, 'g'))].map((m) =>
      Number(m[1]),
    );
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const tailOf = (result: { log: { tailBase64(): string } }) =>
    Buffer.from(result.log.tailBase64(), 'base64').toString('utf8');

  describe('rotation at 1 MiB', () => {
    // A file is not written past 1 MiB: the record that would go past it starts a new file.
    const RECORD_MAX = 1100;

    it('keeps every line of a series past 1 MiB in order, in each result and echoed; no file grows past 1 MiB', async () => {
      const { functions, echoed } = pool();
      const lines = { count: 400, bytes: 1000 };

      const results = [];
      const files: { name: string; bytes: number }[][] = [];
      for (const n of [1, 2, 3, 4]) {
        results.push(await functions.invoke({ logLines: lines, n }, { ...TINY_CALL, requestId: `r${n}` }));
        files.push(logFiles());
      }

      expect(functions.stats().started).toBe(1);
      // 1.6 MB over four invocations: one file at a time, never past 1 MiB, and a new one once the
      // first was full (the full one deleted rather than growing on).
      for (const after of files) {
        expect(after).toHaveLength(1);
        expect(after[0]?.bytes).toBeLessThanOrEqual(MiB + RECORD_MAX);
      }
      expect(new Set(files.map((after) => after[0]?.name)).size).toBeGreaterThan(1);
      const echoedText = echoed.join('');
      for (const [i, result] of results.entries()) {
        expect(result.outcome).toBe('success');
        expect(lineNumbers(result.log.text(), `r${i + 1}`)).toEqual(range(0, 400));
        expect(lineNumbers(echoedText, `r${i + 1}`)).toEqual(range(0, 400));
        expect(tailOf(result)).toMatch(
          /\tINFO\tline 399 x+\n[^\n]+\tINFO\tinvoked \d\nEND RequestId: r\d\nREPORT /,
        );
      }
    });

    it('echoes every line of one invocation writing 3 MiB in order, through new files as each fills; its log keeps the last MiB', async () => {
      const { functions, echoed } = pool();

      const big = await functions.invoke(
        { logLines: { count: 3000, bytes: 1000 }, n: 1 },
        { ...TINY_CALL, requestId: 'big' },
      );
      const afterBig = logFiles();
      const next = await functions.invoke({ n: 2 }, { ...TINY_CALL, requestId: 'next' });

      expect(big.outcome).toBe('success');
      expect(lineNumbers(echoed.join(''), 'big')).toEqual(range(0, 3000));
      // The result's own log is bounded (InvocationLog's 1 MiB): the oldest lines go, the rest in order.
      const kept = lineNumbers(big.log.text(), 'big');
      expect(kept.length).toBeGreaterThan(900);
      expect(kept).toEqual(range(3000 - kept.length, 3000));
      expect(tailOf(big)).toMatch(
        /\tINFO\tline 2999 x+\n[^\n]+\tINFO\tinvoked 1\nEND RequestId: big\nREPORT /,
      );
      // Over 3 MiB of records: at least three files written in turn (the first, then `+1`, `+2`,
      // ...); only the last is left, and none grew past 1 MiB.
      expect(afterBig).toHaveLength(1);
      expect(Number(/\+(\d+)$/.exec(afterBig[0]?.name ?? '')?.[1])).toBeGreaterThanOrEqual(2);
      expect(afterBig[0]?.bytes).toBeLessThanOrEqual(MiB + RECORD_MAX);
      expect(next.log.text()).toMatch(/\tnext\tINFO\tinvoked 2\n/);
      expect(logFiles()).toHaveLength(1);
    });
  });

  describe('a small file size (4 KiB), to see each file fill', () => {
    const LIMIT = 4096;
    // A record of one of these lines: its header, the console prefix (time, id, level) and the text.
    const RECORD = 200;

    it('never lets one file grow past the size by more than one record, nor keep many: every line in order', async () => {
      const { functions, echoed } = pool({ logFileBytes: LIMIT });

      const result = await functions.invoke(
        { logLines: { count: 300, bytes: 100 }, watchLogs: true, n: 1 },
        { ...TINY_CALL, requestId: 'small' },
      );
      const seen = JSON.parse(result.payload).logFiles as {
        largestFile: number;
        mostBytes: number;
        mostFiles: number;
      };

      expect(result.outcome).toBe('success');
      expect(lineNumbers(echoed.join(''), 'small')).toEqual(range(0, 300));
      expect(lineNumbers(result.log.text(), 'small')).toEqual(range(0, 300));
      // Over 40 KB written: files filled in turn, none past the size by more than a record.
      expect(seen.largestFile).toBeGreaterThanOrEqual(LIMIT);
      expect(seen.largestFile).toBeLessThanOrEqual(LIMIT + RECORD);
      expect(logFiles()).toHaveLength(1);
      expect(logFiles()[0]?.name).toMatch(/\+\d+$/);
    });

    it('deletes every file of the chain when the instance is killed while writing past the size', async () => {
      const { functions } = pool({ logFileBytes: LIMIT, timeoutSeconds: 1, fn: { timeoutSeconds: 1 } });

      const result = await functions.invoke(
        { logLines: { count: 300, bytes: 100 }, sleepMs: 30_000 },
        { ...TINY_CALL, requestId: 'killed' },
      );

      expect(result.outcome).toBe('timeout');
      expect(lineNumbers(result.log.text(), 'killed')).toEqual(range(0, 300));
      expect(logFiles()).toEqual([]);
    });

    it('does not follow a switch record the runtime did not write: the file it names is left alone, and said', async () => {
      const { functions, echoed } = pool({ logFileBytes: LIMIT });
      const victim = join(layout().root, 'not-a-log-file');
      writeFileSync(victim, 'keep me\n');

      const forged = await functions.invoke(
        { forgeSwitch: victim, n: 1 },
        { ...TINY_CALL, requestId: 'forged' },
      );
      const next = await functions.invoke({ n: 2 }, { ...TINY_CALL, requestId: 'next' });
      const ended = functions.close();
      await ended;

      expect(forged.outcome).toBe('success');
      expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
      expect(echoed.join('')).toContain('a switch record naming a file the runtime would not have made');
      expect(next.log.text()).toMatch(/\tnext\tINFO\tinvoked 2\n/);
      rmSync(victim);
    });
  });

  describe('removal when the instance ends', () => {
    it('when it is reaped idle', async () => {
      const { functions } = pool({ idleSeconds: 0.3 });
      await functions.invoke({ n: 1 }, TINY_CALL);
      expect(logFiles()).toHaveLength(1);

      await waitFor(() => functions.stats().ended.idle === 1 && logFiles().length === 0);
    });

    it('when it is killed on its timeout', async () => {
      const { functions } = pool({ timeoutSeconds: 1, fn: { timeoutSeconds: 1 } });

      const result = await functions.invoke({ logFirst: 'waiting', sleepMs: 30_000 }, TINY_CALL);

      expect(result.outcome).toBe('timeout');
      expect(logFiles()).toEqual([]);
    });

    it('when it is killed past its memory size', async () => {
      const { functions } = pool();

      const result = await functions.invoke({ allocateMb: 200, holdMs: 2000 }, TINY_CALL);

      expect(JSON.parse(result.payload)).toMatchObject({ errorType: 'Runtime.OutOfMemory' });
      expect(logFiles()).toEqual([]);
    });

    it('when it crashes on an uncaught error', async () => {
      const { functions } = pool();

      await functions.invoke({ uncaught: 'boom' }, TINY_CALL);

      await waitFor(() => logFiles().length === 0);
    });

    it('when the server closes', async () => {
      const { functions } = pool();
      await functions.invoke({ n: 1 }, TINY_CALL);
      expect(logFiles()).toHaveLength(1);

      await functions.close();

      expect(logFiles()).toEqual([]);
    });
  });

  describe('a full disk', () => {
    it.each(['ENOSPC', 'short'])(
      'a %s write loses no line: the invocation completes, its lines in order, one error line, the next call a new file',
      async (how) => {
        const { functions, echoed } = pool();
        const before = await functions.invoke({ n: 0 }, TINY_CALL);
        const goodFile = logFiles()[0]?.name;

        const full = await functions.invoke(
          { logFirst: 'before the disk filled', breakLogWrites: how, logLines: { count: 3, bytes: 1 }, n: 1 },
          { ...TINY_CALL, requestId: 'full' },
        );
        const againFull = await functions.invoke(
          { breakLogWrites: how, logLines: { count: 1, bytes: 1 }, n: 2 },
          { ...TINY_CALL, requestId: 'again' },
        );
        const after = await functions.invoke({ n: 3 }, { ...TINY_CALL, requestId: 'after' });

        expect([before, full, againFull, after].map((r) => r.outcome)).toEqual([
          'success',
          'success',
          'success',
          'success',
        ]);
        expect(functions.stats().started).toBe(1);
        const lines = full.log
          .text()
          .split('\n')
          .filter((line) => line.includes('\tfull\tINFO\t'))
          .map((line) => line.split('\t')[3]);
        expect(lines).toEqual(['before the disk filled', 'line 0 x', 'line 1 x', 'line 2 x', 'invoked 1']);
        expect(againFull.log.text()).toMatch(/\tagain\tINFO\tline 0 x\n[^\n]+\tagain\tINFO\tinvoked 2\n/);
        expect(after.log.text()).toMatch(/\tafter\tINFO\tinvoked 3\n/);
        const said = echoed.join('').match(/an instance's log file failed \((.*?)\)/g) ?? [];
        expect(said).toHaveLength(1);
        expect(said[0]).toContain(how === 'ENOSPC' ? 'ENOSPC: no space left on device' : 'short write');
        // The failed files are gone; the one after is new.
        expect(logFiles()).toHaveLength(1);
        expect(logFiles()[0]?.name).not.toBe(goodFile);
      },
    );

    it('no file at all (the server cannot create one): the output comes over IPC, said once', async () => {
      const echoed: string[] = [];
      const echo: LogEcho = (chunk) => void echoed.push(chunk.toString('utf8'));
      const env = lambdaEnvironment({
        functionName: 'tiny',
        fn: FN,
        layout: layout(),
        region: 'eu-west-1',
        env: {},
        deployTime: {},
      });
      const functions = new InstancePool({
        // The log files are made in the layout's root; this one does not exist.
        instance: {
          layout: { ...layout(), root: join(layout().root, 'gone') },
          node: resolveNode24(),
          echo,
          env,
        },
        memorySizeMb: 128,
        timeoutSeconds: 10,
        maxInstances: 1,
        idleSeconds: 60,
        echo,
      });
      pools.push(functions);

      const results = [];
      for (const n of [1, 2])
        results.push(
          await functions.invoke({ logFirst: `first ${n}`, n }, { ...TINY_CALL, requestId: `r${n}` }),
        );

      for (const [i, result] of results.entries()) {
        expect(result.outcome).toBe('success');
        expect(result.log.text()).toMatch(
          new RegExp(`\\tr${i + 1}\\tINFO\\tfirst ${i + 1}\\n[^\\n]+\\tINFO\\tinvoked ${i + 1}\\n`),
        );
      }
      expect(echoed.join('').match(/an instance's log file failed/g)).toHaveLength(1);
    });
  });

  describe("what Lambda puts in an invocation's Tail", () => {
    it("an uncaught exception: its line in the failing invocation's log and Tail, its error the caller's; the next call a new instance", async () => {
      const { functions } = pool();
      const first = await functions.invoke({ n: 1 }, TINY_CALL);

      const failed = await functions.invoke(
        { uncaught: 'out of range' },
        { ...TINY_CALL, requestId: 'oops' },
      );
      const next = await functions.invoke({ n: 2 }, TINY_CALL);

      expect(failed.functionError).toBe('Unhandled');
      expect(JSON.parse(failed.payload)).toEqual({ errorType: 'RangeError', errorMessage: 'out of range' });
      expect(tailOf(failed)).toMatch(
        /\toops\tERROR\tUncaught Exception \t\{"errorType":"RangeError","errorMessage":"out of range"[^\n]*\nEND RequestId: oops\nREPORT /,
      );
      expect(next.outcome).toBe('success');
      expect(next.initDurationMs).toBeGreaterThan(0);
      expect(functions.stats()).toMatchObject({ started: 2, ended: { exit: 1 } });
      expect(JSON.parse(next.payload).pid).not.toBe(JSON.parse(first.payload).pid);
    });

    it('an uncaught exception, then the handler failing while the instance ends: one reply, the first error', async () => {
      const { functions } = pool();

      const failed = await functions.invoke(
        { uncaughtThenReject: 'first' },
        { ...TINY_CALL, requestId: 'two' },
      );
      const next = await functions.invoke({ n: 2 }, TINY_CALL);

      expect(JSON.parse(failed.payload)).toEqual({ errorType: 'RangeError', errorMessage: 'first' });
      expect(tailOf(failed)).not.toMatch(/Invoke Error/);
      expect(next.outcome).toBe('success');
      expect(functions.stats()).toMatchObject({ started: 2, ended: { exit: 1 } });
    });

    it("an unhandled rejection: Runtime.UnhandledPromiseRejection, its line in the failing invocation's Tail", async () => {
      const { functions } = pool();

      const failed = await functions.invoke({ rejectUnhandled: 'nope' }, { ...TINY_CALL, requestId: 'rej' });
      const next = await functions.invoke({ n: 2 }, TINY_CALL);

      expect(JSON.parse(failed.payload)).toEqual({
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'Error: nope',
      });
      expect(tailOf(failed)).toMatch(
        /\trej\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime.UnhandledPromiseRejection"/,
      );
      expect(next.outcome).toBe('success');
    });

    it('a line a timer writes after the reply, the instance frozen (freeze on): written only as the next invocation thaws it, on the terminal with the last request id', async () => {
      const { functions, echoed } = pool({ freeze: true });

      const replied = await functions.invoke(
        { afterReply: 'written late', afterReplyMs: 300, n: 1 },
        { ...TINY_CALL, requestId: 'early' },
      );
      await waitFor(() => processState(functions.pids()[0] as number) === 'T');
      // Past the timer's 300 ms: a running instance would have written the line by now.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const beforeNext = echoed.join('');
      const next = await functions.invoke({ n: 2 }, { ...TINY_CALL, requestId: 'next' });
      const all = echoed.join('');

      expect(next.outcome).toBe('success');
      expect(beforeNext).not.toContain('written late');
      expect(tailOf(replied)).not.toContain('written late');
      expect(replied.log.text()).not.toContain('written late');
      // The overdue timer runs as the instance thaws, before the runtime reads the new event: the
      // line carries the last request id and goes to the instance's output, after the next START.
      expect(next.log.text()).not.toContain('written late');
      expect(all.search(/\tearly\tINFO\twritten late\n/)).toBeGreaterThan(
        all.indexOf('START RequestId: next'),
      );
      expect(all.indexOf('START RequestId: next')).toBeGreaterThan(0);
    });

    it('an error a timer throws after the reply, the instance frozen (freeze on): the next invocation fails with Runtime.ExitError, the line on the terminal', async () => {
      const { functions, echoed } = pool({ freeze: true });

      await functions.invoke(
        { throwAfterReply: 'late failure', afterReplyMs: 300, n: 1 },
        { ...TINY_CALL, requestId: 'early' },
      );
      await waitFor(() => processState(functions.pids()[0] as number) === 'T');
      await new Promise((resolve) => setTimeout(resolve, 400));
      const beforeNext = echoed.join('');
      const next = await functions.invoke({ n: 2 }, { ...TINY_CALL, requestId: 'next' });
      const after = await functions.invoke({ n: 3 }, { ...TINY_CALL, requestId: 'after' });

      expect(beforeNext).not.toContain('late failure');
      expect(JSON.parse(next.payload)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: 'RequestId: next Error: Runtime exited with error: exit status 129',
      });
      expect(echoed.join('')).toMatch(
        /\tearly\tERROR\tUncaught Exception \t\{"errorType":"RangeError","errorMessage":"late failure"/,
      );
      expect(after.outcome).toBe('success');
      expect(functions.stats()).toMatchObject({ started: 2, ended: { exit: 1 } });
    });

    it("a line written after the reply, the instance not frozen (the default): not in that invocation's Tail; echoed with its request id", async () => {
      const { functions, echoed } = pool();

      const replied = await functions.invoke(
        { afterReply: 'written late', n: 1 },
        { ...TINY_CALL, requestId: 'early' },
      );
      await waitFor(() => echoed.join('').includes('written late'));
      const next = await functions.invoke({ n: 2 }, { ...TINY_CALL, requestId: 'next' });

      expect(tailOf(replied)).not.toContain('written late');
      expect(replied.log.text()).not.toContain('written late');
      expect(next.log.text()).not.toContain('written late');
      expect(echoed.join('')).toMatch(/\tearly\tINFO\twritten late\n/);
    });
  });
});

/** Waits, bounded, for `done` to hold. */
async function waitFor(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
