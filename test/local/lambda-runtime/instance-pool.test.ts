import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ThrottledError } from '../../../local/invoke';
import { InstancePool, type InstancePoolOptions } from '../../../local/lambda-runtime/instance-pool';
import { lambdaEnvironment } from '../../../local/lambda-runtime/lambda-environment';
import { LAMBDA_NODE_MAJOR, resolveNode24 } from '../../../local/lambda-runtime/node-binary';
import type { StackFunction } from '../../../local/lambda-runtime/stack-functions';
import { processState } from '../../helpers/process-state';
import { TINY_CALL, tinyStackFunction, useTinyLayout } from '../../helpers/tiny-function';

const FN: StackFunction = tinyStackFunction({ TINY_SETTING: 'from the stack' });

interface TinyReply {
  pid: number;
  node: string;
  inits: number;
  ticks: number;
  layer: string;
  cwd: string;
  env: Record<string, string | null>;
  context: { requestId: string; version: string; arn: string; memory: string; remainingMs: number };
}

describe('InstancePool: the built function run as Lambda runs it, one process per instance', () => {
  const layout = useTinyLayout();
  const pools: InstancePool[] = [];

  afterEach(() => {
    for (const pool of pools.splice(0)) pool.close();
  });

  function pool(options: Partial<InstancePoolOptions> & { fn?: Partial<StackFunction> } = {}): InstancePool {
    const fn = { ...FN, ...options.fn };
    const created = new InstancePool({
      instance: {
        layout: layout(),
        node: resolveNode24(),
        env: lambdaEnvironment({
          functionName: 'tiny',
          fn,
          layout: layout(),
          region: 'eu-west-1',
          env: { SHELL_ONLY: 'x' },
          deployTime: {},
        }),
      },
      memorySizeMb: fn.memorySizeMb,
      timeoutSeconds: fn.timeoutSeconds,
      maxInstances: 2,
      idleSeconds: 60,
      memoryPollMs: 20,
      ...options,
    });
    pools.push(created);
    return created;
  }

  const reply = (payload: string) => JSON.parse(payload) as TinyReply;
  const reportOf = (text: string) => text.split('\n').find((line) => line.startsWith('REPORT')) ?? '';

  it("runs the zip's handler on Node 24 in the task folder, with the layer on NODE_PATH and Lambda's variables", async () => {
    const result = await pool().invoke({ n: 1 }, { ...TINY_CALL, requestId: 'req-1' });

    const seen = reply(result.payload);
    expect(result.outcome).toBe('success');
    expect(seen.node).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
    expect(seen.layer).toBe('from the layer');
    expect(seen.cwd).toBe(layout().taskRoot);
    expect(seen.env).toEqual({
      handler: 'index.handler',
      taskRoot: layout().taskRoot,
      functionName: 'tiny',
      memory: '128',
      region: 'eu-west-1',
      tz: ':UTC',
      projectSetting: 'from the stack',
      shellOnly: null,
    });
    expect(seen.context).toMatchObject({ requestId: 'req-1', version: '$LATEST', memory: '128' });
    expect(seen.context.remainingMs).toBeGreaterThan(0);
    expect(seen.context.remainingMs).toBeLessThanOrEqual(10_000);
  });

  it('initialises once per instance: Init Duration on the first REPORT only, the same process warm', async () => {
    const functions = pool();

    const first = await functions.invoke({ n: 1 }, TINY_CALL);
    const second = await functions.invoke({ n: 2 }, TINY_CALL);
    const third = await functions.invoke({ n: 3 }, TINY_CALL);

    expect(new Set([first, second, third].map((r) => reply(r.payload).pid)).size).toBe(1);
    expect(reply(third.payload).inits).toBe(1);
    expect(functions.stats().started).toBe(1);
    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(reportOf(first.log.text())).toMatch(/\tInit Duration: [\d.]+ ms\t$/);
    expect(second.initDurationMs).toBeUndefined();
    expect(reportOf(second.log.text())).not.toContain('Init Duration');
  });

  it("frames the function's output in START/END/REPORT, with the instance's own memory", async () => {
    const result = await pool().invoke({ n: 7 }, { ...TINY_CALL, requestId: 'req-7' });

    const lines = result.log.text().split('\n');
    expect(lines[0]).toBe('START RequestId: req-7 Version: $LATEST');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\treq-7\tINFO\tinvoked 7$/);
    expect(lines[2]).toBe('END RequestId: req-7');
    expect(lines[3]).toMatch(
      /^REPORT RequestId: req-7\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t$/,
    );
    // A Node process alone is tens of MB; the test runner's own process is far bigger.
    expect(result.maxMemoryUsedMb).toBeGreaterThan(10);
    expect(result.maxMemoryUsedMb).toBeLessThan(128);
  });

  it('starts a new instance when every one is busy, and throttles past the limit', async () => {
    const functions = pool({ maxInstances: 2 });

    const running = [
      functions.invoke({ sleepMs: 1500 }, TINY_CALL),
      functions.invoke({ sleepMs: 1500 }, TINY_CALL),
    ];
    await waitFor(() => functions.stats().busy === 2);
    const third = functions.invoke({ n: 3 }, TINY_CALL);

    await expect(third).rejects.toBeInstanceOf(ThrottledError);
    await expect(third).rejects.toMatchObject({ status: 429, type: 'TooManyRequestsException' });
    const pids = (await Promise.all(running)).map((r) => reply(r.payload).pid);
    expect(new Set(pids).size).toBe(2);
    expect(functions.stats().started).toBe(2);
  });

  it("kills an instance past its timeout: the caller gets Lambda's timeout error, the next call a new instance", async () => {
    const functions = pool({ timeoutSeconds: 1, fn: { timeoutSeconds: 1 } });
    const before = reply((await functions.invoke({ n: 1 }, TINY_CALL)).payload).pid;

    const result = await functions.invoke({ sleepMs: 30_000 }, { ...TINY_CALL, requestId: 'slow' });

    expect(result.outcome).toBe('timeout');
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: slow Error: Task timed out after 1.00 seconds',
    });
    expect(reportOf(result.log.text())).toMatch(/\tStatus: timeout\t$/);
    expect(functions.stats().ended.timeout).toBe(1);
    const after = await functions.invoke({ n: 2 }, TINY_CALL);
    expect(reply(after.payload).pid).not.toBe(before);
    expect(after.initDurationMs).toBeGreaterThan(0);
  });

  it('passes on what a function logs while it runs, before its result: lines written before a timeout are in its log', async () => {
    const seen: string[] = [];
    const functions = pool({
      timeoutSeconds: 1,
      fn: { timeoutSeconds: 1 },
      echo: (chunk) => void seen.push(chunk.toString('utf8')),
    });

    const result = await functions.invoke(
      { logFirst: 'before the wait', sleepMs: 30_000 },
      { ...TINY_CALL, requestId: 'slow' },
    );

    expect(result.outcome).toBe('timeout');
    expect(result.log.text()).toMatch(/\tslow\tINFO\tbefore the wait\n/);
    // Echoed as it is written, before the kill, not only with the result (which never comes).
    const echoed = seen.join('');
    expect(echoed.indexOf('before the wait')).toBeGreaterThan(-1);
    expect(echoed.indexOf('before the wait')).toBeLessThan(echoed.indexOf('Task timed out'));
  });

  it('keeps the lines written before a timeout in a busy loop, where the event loop never turns again', async () => {
    const functions = pool({ timeoutSeconds: 1, fn: { timeoutSeconds: 1 } });

    const result = await functions.invoke(
      { logFirst: 'before the spin', spinMs: 30_000 },
      { ...TINY_CALL, requestId: 'spin' },
    );

    expect(result.outcome).toBe('timeout');
    expect(result.log.text()).toMatch(/\tspin\tINFO\tbefore the spin\n/);
  });

  it('keeps the lines a function writes just before it calls process.exit in its log', async () => {
    const functions = pool();

    const result = await functions.invoke(
      { logFirst: 'last words', exit: true },
      { ...TINY_CALL, requestId: 'bye' },
    );

    expect(result.outcome).toBe('error');
    expect(result.log.text()).toMatch(/\tbye\tINFO\tlast words\n/);
  });

  it('gives each invocation its own lines when calls follow each other at once on one instance', async () => {
    const functions = pool();
    const logs: string[] = [];
    for (const n of [1, 2, 3])
      logs.push((await functions.invoke({ n }, { ...TINY_CALL, requestId: `req-${n}` })).log.text());
    expect(functions.stats().started).toBe(1);
    for (const [i, text] of logs.entries()) {
      expect(text).toMatch(new RegExp(`\\treq-${i + 1}\\tINFO\\tinvoked ${i + 1}\\n`));
      expect(text.match(/\tINFO\t/g)).toHaveLength(1);
    }
  });

  it('ends an instance whose resident memory passes the memory size: Runtime.OutOfMemory', async () => {
    const functions = pool();
    const before = reply((await functions.invoke({ n: 1 }, TINY_CALL)).payload).pid;

    const result = await functions.invoke(
      { allocateMb: 200, holdMs: 2000 },
      { ...TINY_CALL, requestId: 'big' },
    );

    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload)).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: 'RequestId: big Error: Runtime exited with error: signal: killed',
    });
    expect(reportOf(result.log.text())).toMatch(/\tStatus: error\tError Type: Runtime.OutOfMemory\t$/);
    expect(result.maxMemoryUsedMb).toBeGreaterThan(128);
    expect(functions.stats().ended.memory).toBe(1);
    expect(reply((await functions.invoke({ n: 2 }, TINY_CALL)).payload).pid).not.toBe(before);
  });

  it('freezes an idle instance until its next invocation with freeze on, as Lambda does: its timers wait', async () => {
    const functions = pool({ freeze: true });
    const first = reply((await functions.invoke({ tick: true }, TINY_CALL)).payload);
    await waitFor(() => processState(first.pid) === 'T');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stillStopped = processState(first.pid);
    const second = reply((await functions.invoke({ tick: true }, TINY_CALL)).payload);

    expect(stillStopped).toBe('T');
    expect(second.pid).toBe(first.pid);
    // 300 ms of a 5 ms interval: about 60 ticks had it run (the test below); a few may come
    // between the reply and the stop, and one overdue tick fires on the thaw.
    expect(second.ticks - first.ticks).toBeLessThan(10);
  });

  it('lets an idle instance run between invocations by default (the reference for the test above)', async () => {
    const functions = pool();
    const first = reply((await functions.invoke({ tick: true }, TINY_CALL)).payload);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const between = processState(first.pid);
    const second = reply((await functions.invoke({ tick: true }, TINY_CALL)).payload);

    expect(between).not.toBe('T');
    expect(second.ticks - first.ticks).toBeGreaterThanOrEqual(10);
  });

  it('thaws its frozen instances when its process exits without closing the pool, so they end too', async () => {
    const child = fork(join(__dirname, '../../helpers/freeze-and-exit.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FREEZE_LAYOUT: JSON.stringify(layout()) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const { pid, state: stateAtExit } = await new Promise<{ pid: number; state: string }>(
      (resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`the helper exited (${code}) before sending a pid`)));
      },
    );
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));

    // Gone, or a zombie waiting for whoever adopted it: not left stopped.
    await waitFor(() => !existsSync(`/proc/${pid}`) || processState(pid) === 'Z');
    expect(stateAtExit).toBe('T');
  });

  it('ends a frozen instance left idle (freeze on), so the next call is a cold start', async () => {
    const functions = pool({ freeze: true, idleSeconds: 0.3 });
    const first = reply((await functions.invoke({ n: 1 }, TINY_CALL)).payload);
    await waitFor(() => functions.stats().ended.idle === 1);
    await waitFor(() => !existsSync(`/proc/${first.pid}`));
    const second = reply((await functions.invoke({ n: 2 }, TINY_CALL)).payload);

    expect(second.pid).not.toBe(first.pid);
    expect(functions.stats()).toMatchObject({ started: 2, ended: { idle: 1 } });
  });

  it('ends instances left idle, so the next call is a cold start', async () => {
    const functions = pool({ idleSeconds: 0.3 });
    await functions.invoke({ n: 1 }, TINY_CALL);

    await waitFor(() => functions.stats().instances === 0);

    expect(functions.stats().ended.idle).toBe(1);
    expect((await functions.invoke({ n: 2 }, TINY_CALL)).initDurationMs).toBeGreaterThan(0);
    expect(functions.stats().started).toBe(2);
  });

  it("answers a thrown error, a crash and an over-6 MB response with Lambda's Unhandled errors", async () => {
    const functions = pool();

    const thrown = await functions.invoke({ throw: 'bad thing' }, TINY_CALL);
    const big = await functions.invoke({ bigResponse: true }, TINY_CALL);
    const crashed = await functions.invoke({ exit: true }, { ...TINY_CALL, requestId: 'crash' });

    expect(JSON.parse(thrown.payload)).toEqual({ errorType: 'TypeError', errorMessage: 'bad thing' });
    expect(thrown.log.text()).toContain('\tERROR\tInvoke Error \t{"errorType":"TypeError"');
    expect(JSON.parse(big.payload)).toMatchObject({ errorType: 'Function.ResponseSizeTooLarge' });
    expect(JSON.parse(crashed.payload)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: crash Error: Runtime exited with error: exit status 3',
    });
    for (const r of [thrown, big, crashed]) expect(r.functionError).toBe('Unhandled');
  });

  it('reports a handler that cannot be loaded as Runtime.ImportModuleError', async () => {
    const result = await pool({ fn: { handler: 'missing.handler' } }).invoke({}, TINY_CALL);

    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload)).toEqual({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Cannot find module 'missing'",
    });
  });
});

/** Waits, bounded, for `done` to hold (what the pool does happens between the test's awaits). */
async function waitFor(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
