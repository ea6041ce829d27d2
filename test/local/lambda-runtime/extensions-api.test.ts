import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThrottledError } from '../../../local/invoke';
import { InstancePool } from '../../../local/lambda-runtime/instance-pool';
import { lambdaEnvironment } from '../../../local/lambda-runtime/lambda-environment';
import { resolveNode24 } from '../../../local/lambda-runtime/node-binary';
import {
  type FunctionLayout,
  removeLayout,
  unpackFunction,
} from '../../../local/lambda-runtime/unpack-function';
import { makeExtensionFunction } from '../../helpers/extension-function';
import { processState } from '../../helpers/process-state';

interface ExtensionReply {
  pid: number;
  registered: boolean;
  error: string | null;
  sentBefore: number;
}

const call = {
  functionName: 'ext',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ext',
  timeoutSeconds: 10,
  memorySizeMb: 256,
};

describe('the Extensions API of start:lambda: an internal extension sends rows after the reply', () => {
  let layout: FunctionLayout;
  let remove: () => void;
  let dir: string;
  const pools: InstancePool[] = [];

  beforeAll(async () => {
    const fn = await makeExtensionFunction();
    remove = fn.remove;
    layout = await unpackFunction(fn.functionZip, [fn.layerZip]);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ext-rows-'));
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => {
    removeLayout(layout);
    remove();
  });

  const out = () => join(dir, 'rows.txt');
  const rows = () => (existsSync(out()) ? readFileSync(out(), 'utf8').split('\n').filter(Boolean) : []);
  const reply = (payload: string) => JSON.parse(payload) as ExtensionReply;
  const hasReport = (text: string) => text.split('\n').some((line) => line.startsWith('REPORT'));

  function pool(
    options: {
      env?: Record<string, string>;
      extensionsApi?: boolean;
      maxInstances?: number;
      freeze?: boolean;
    } = {},
  ) {
    const created = new InstancePool({
      instance: {
        layout,
        node: resolveNode24(),
        env: lambdaEnvironment({
          functionName: 'ext',
          fn: {
            handler: 'index.handler',
            runtime: 'nodejs24.x',
            memorySizeMb: 256,
            timeoutSeconds: 10,
            environment: { EXT_OUT: out(), ...options.env },
            deployTimeVariables: [],
          },
          layout,
          region: 'us-east-1',
          env: {},
          deployTime: {},
        }),
        ...(options.extensionsApi === undefined ? {} : { extensionsApi: options.extensionsApi }),
      },
      memorySizeMb: 256,
      timeoutSeconds: 10,
      maxInstances: options.maxInstances ?? 1,
      idleSeconds: 60,
      ...(options.freeze === undefined ? {} : { freeze: options.freeze }),
    });
    pools.push(created);
    return created;
  }

  it('answers when the runtime responds; the instance is busy, and REPORT unwritten, until the extension calls next', async () => {
    const functions = pool();

    const first = await functions.invoke({ rows: 5, afterReplyMs: 300 }, { ...call, requestId: 'r-1' });
    // The caller has the reply; the extension is still sending: no REPORT yet, the instance busy.
    expect(reply(first.payload)).toMatchObject({ registered: true, sentBefore: 0 });
    expect(first.complete).toBeDefined();
    expect(hasReport(first.log.text())).toBe(false);
    expect(functions.stats().busy).toBe(1);
    await expect(functions.invoke({ rows: 1 }, call)).rejects.toBeInstanceOf(ThrottledError);

    const post = await first.complete;
    expect(rows()).toEqual(['r-1 0', 'r-1 1', 'r-1 2', 'r-1 3', 'r-1 4']);
    const report =
      first.log
        .text()
        .split('\n')
        .find((line) => line.startsWith('REPORT')) ?? '';
    expect(report).toMatch(/Duration: [\d.]+ ms\tBilled Duration: \d+ ms/);
    expect(post?.durationMs).toBeGreaterThanOrEqual(post?.postRuntimeExtensionsDurationMs ?? Number.NaN);
    expect(post?.postRuntimeExtensionsDurationMs).toBeGreaterThan(0);

    // The next invocation, on the same instance, starts after the rows of the first were all sent.
    const second = await functions.invoke({ rows: 3 }, call);
    expect(reply(second.payload)).toMatchObject({ pid: reply(first.payload).pid, sentBefore: 5 });
    await second.complete;
    expect(rows()).toHaveLength(8);
  });

  it('counts every row of many invocations once they are all complete', async () => {
    const functions = pool();
    let expected = 0;
    for (let n = 1; n <= 20; n++) {
      const result = await functions.invoke({ rows: n }, call);
      expected += n;
      await result.complete;
    }
    expect(rows()).toHaveLength(expected);
    expect(new Set(rows()).size).toBe(expected);
  });

  it('closes registration when the runtime asks for its first invocation: a late extension is refused, rows go before the reply', async () => {
    const result = await pool({ env: { EXT_LATE: '1' } }).invoke({ rows: 4 }, call);

    const seen = reply(result.payload);
    expect(seen.registered).toBe(false);
    expect(seen.error).toContain('Extension.RegistrationClosed');
    expect(result.complete).toBeUndefined();
    expect(hasReport(result.log.text())).toBe(true);
    expect(rows()).toHaveLength(4);
  });

  it('without the Extensions API the function sends before replying (the fallback)', async () => {
    const result = await pool({ extensionsApi: false }).invoke({ rows: 2 }, call);

    expect(reply(result.payload)).toMatchObject({ registered: false, error: 'no Extensions API' });
    expect(rows()).toHaveLength(2);
  });

  it('shuts an instance with an extension down with SIGTERM first: rows still held are written then', async () => {
    const functions = pool();
    const result = await functions.invoke({ rows: 3, hold: true }, call);
    await result.complete;
    expect(rows()).toHaveLength(0);

    await functions.close();

    expect(rows()).toEqual(['r 0', 'r 1', 'r 2'].map((_, i) => `${result.requestId} ${i} at-sigterm`));
    expect(functions.stats().ended.closed).toBe(1);
  });

  it('thaws a frozen instance to shut it down (freeze on): SIGTERM reaches it, and the rows it holds are written', async () => {
    const functions = pool({ freeze: true });
    const result = await functions.invoke({ rows: 2, hold: true }, call);
    await result.complete;
    const pid = reply(result.payload).pid;
    const state = () => processState(pid);
    // SIGSTOP takes effect as the process next runs: a moment after the signal is sent.
    for (const deadline = Date.now() + 5000; state() !== 'T' && Date.now() < deadline; )
      await new Promise((resolve) => setTimeout(resolve, 10));
    const frozen = state();

    await functions.close();

    expect(frozen).toBe('T');
    expect(rows()).toEqual([0, 1].map((i) => `${result.requestId} ${i} at-sigterm`));
  });
});
