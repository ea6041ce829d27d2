import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceMetrics } from '../../../lambda/metrics';
import { startPredictRegistration } from '../../../lambda/results/early-registration';
import { predictResultsExtension, tellingExtension } from '../../../lambda/results/predict-extension';
import { discardingSink, type ResultSink } from '../../../lambda/results/result-sink';
import { RESULTS_EXTENSION_NAME, startRegistration } from '../../../lambda/results/results-extension';
import { ExtensionsApi } from '../../../local/lambda-runtime/extensions-api';

/** A sink whose rows leave when `settle` is called (counted), as the SQS sink's do. */
class CountingSink implements ResultSink {
  held = 0;
  sent = 0;
  record(rows: readonly unknown[]): void {
    this.held += rows.length;
  }
  recordLabels(): boolean {
    return true;
  }
  get pendingRows(): number {
    return this.held;
  }
  async settle(): Promise<boolean> {
    this.sent += this.held;
    this.held = 0;
    return true;
  }
  async flush(): Promise<void> {}
}

const metrics: ServiceMetrics = { count: () => {}, publish: () => {} } as unknown as ServiceMetrics;
const fn = { functionName: 'predict', functionVersion: '$LATEST', handler: 'index.handler' };

/** A stand-in Extensions API on loopback answering (or not) with `handle`; `address` is `host:port`. */
async function extensionsApi(handle: Parameters<typeof createServer>[1]) {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { address: `127.0.0.1:${port}`, close };
}

describe('predictResultsExtension: the predict function sends rows after the reply when it can', () => {
  const warnings: string[] = [];
  const logger = { info: () => {}, warn: (message: string) => void warnings.push(message) };
  let api: ExtensionsApi;

  beforeEach(async () => {
    warnings.length = 0;
    api = new ExtensionsApi(fn);
    await api.start();
  });
  afterEach(() => api.stop());

  const results = { handoffMs: 1000, send: 'after-reply' as const };

  it('is not registered for RESULTS_SEND=before-reply, without a queue, or without the Extensions API', async () => {
    const sink = new CountingSink();
    const env = { AWS_LAMBDA_RUNTIME_API: api.address };
    await expect(
      predictResultsExtension({ results: { ...results, send: 'before-reply' }, sink, metrics, logger, env }),
    ).resolves.toBeUndefined();
    await expect(
      predictResultsExtension({ results, sink: discardingSink, metrics, logger, env }),
    ).resolves.toBeUndefined();
    await expect(
      predictResultsExtension({ results, sink, metrics, logger, env: {} }),
    ).resolves.toBeUndefined();
    expect(api.registered).toBe(0);
  });

  it('registers without blocking the thread: the Extensions API in this process answers it', async () => {
    const sink = new CountingSink();
    const own: string[] = []; // its loop ends with a warning once the API stops, after this test

    const extension = await predictResultsExtension({
      results,
      sink,
      metrics,
      logger: { info: () => {}, warn: (message: string) => void own.push(message) },
      env: { AWS_LAMBDA_RUNTIME_API: api.address },
    });
    await api.untilIdle(); // its first `next`: the extension's part of the init is over

    expect(extension?.active).toBe(true);
    expect(api.registered).toBe(1);
    expect(own).toEqual([]);
  });

  it('falls back, saying so, when the Extensions API cannot register it', async () => {
    // Registration refused and the whole flow are in test/local/lambda-runtime/extensions-api.test.ts.
    const closed = api.address;
    await api.stop();
    const sink = new CountingSink();
    await expect(
      predictResultsExtension({ results, sink, metrics, logger, env: { AWS_LAMBDA_RUNTIME_API: closed } }),
    ).resolves.toBeUndefined();
    expect(warnings).toEqual(['results extension not registered: rows are sent before each reply']);
  });

  it('fails the init when the registration goes unanswered (Lambda may hold it and wait for its next)', async () => {
    // An Extensions API that takes the request and never answers it.
    const silent = await extensionsApi(() => {});
    try {
      const registration = startRegistration(silent.address, RESULTS_EXTENSION_NAME, 100);
      await expect(
        predictResultsExtension({ results, sink: new CountingSink(), metrics, logger, registration }),
      ).rejects.toThrow(/registration unanswered \(no answer from the Extensions API within 100 ms\)/);
    } finally {
      await silent.close();
    }
  });

  it('fails the init too when the API drops the connection after the registration left', async () => {
    const dropping = await extensionsApi((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    try {
      const registration = startRegistration(dropping.address, RESULTS_EXTENSION_NAME, 2000);
      await expect(
        predictResultsExtension({ results, sink: new CountingSink(), metrics, logger, registration }),
      ).rejects.toThrow(/registration unanswered/);
    } finally {
      await dropping.close();
    }
  });

  it('uses a registration started earlier in the init, even where it would not start one', async () => {
    // The early registration is started on the same conditions; once the API has an identifier
    // for it, Lambda waits for its `next`, so it is used whatever the conditions say now.
    const closed = api.address;
    await api.stop();
    const refused = startRegistration(closed, RESULTS_EXTENSION_NAME, 500);
    const sink = new CountingSink();

    const extension = await predictResultsExtension({
      results: { ...results, send: 'before-reply' },
      sink,
      metrics,
      logger,
      env: {},
      registration: refused,
    });

    expect(extension).toBeUndefined();
    expect(warnings).toEqual(['results extension not registered: rows are sent before each reply']);
  });

  it('starts the early registration only where the predict function will want its extension', async () => {
    const queue = { RESULTS_QUEUE_URL: 'http://127.0.0.1:9/000000000000/results' };
    const runtime = { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9' };

    const started = [
      startPredictRegistration({ ...queue }),
      startPredictRegistration({ ...runtime }),
      startPredictRegistration({ ...queue, ...runtime, RESULTS_SEND: 'before-reply' }),
      startPredictRegistration({ ...queue, ...runtime, RESULTS_SEND: 'sometimes' }),
      startPredictRegistration({ ...queue, ...runtime }),
    ];

    expect(started.map((pending) => pending?.runtimeApi)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      '127.0.0.1:9',
    ]);
    await expect(started[4]?.result).resolves.toMatchObject({
      error: expect.stringMatching(/^no answer from the Extensions API/),
    });
  });

  it('tells the extension when a handler has returned, whatever it returned', async () => {
    const told: string[] = [];
    const extension = { handlerDone: (id: string) => void told.push(id) };
    const handler = tellingExtension(async (event: unknown) => {
      if (event === 'fail') throw new Error('x');
      return 'reply';
    }, extension as never);
    await expect(handler('ok', { awsRequestId: 'r-1' })).resolves.toBe('reply');
    await expect(handler('fail', { awsRequestId: 'r-2' })).rejects.toThrow('x');
    expect(told).toEqual(['r-1', 'r-2']);
  });
});
