import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CaptureSink } from '../lambda/captures';
import { readConfig } from '../lambda/config';
import { createLabelsHandler } from '../lambda/labels';
import { createServiceMetrics, PREDICT_METRICS } from '../lambda/metrics';
import { createPredictHandler } from '../lambda/predict';
import { createLocalServer, type LambdaHandler } from './create-server';
import { readInvokeApiConfig } from './invoke';
import { createPrometheusMetrics } from './metrics';
import { type LocalResults, openLocalResults } from './open-local-results';
import { ReceivedBodies } from './received-bodies';
import { readServerLimits } from './server-limits';

/** A running local server. */
export interface RunningLocalServer {
  readonly url: string;
  readonly server: Server;
  readonly handler: LambdaHandler;
  readonly results: LocalResults;
  readonly functionName: string;
  /** Where the requests behind recorded results are captured: the results journal, then `CAPTURE_DIR` (`.data/captures`). */
  readonly capture: CaptureSink;
  /**
   * Stops taking requests, writes the rows held to the journal, stops the loader; resolves with
   * the rows that could not be kept anywhere (0: everything is in the database or the journal).
   */
  close(): Promise<{ lostRows: number }>;
}

/**
 * Starts what `npm start` runs: the predict handler (the one Lambda runs, with the local results
 * queue as its sink) behind the local HTTP server and Invoke API, on `HOST`:`PORT`
 * (default 127.0.0.1:3000; port 0 picks a free one).
 */
export async function startLocalServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningLocalServer> {
  const config = readConfig(env);
  const logger = new Logger({ serviceName: config.service.name });
  // The results sink is made after the metrics (it counts dropped rows into them); the backlog
  // gauge reads it once it exists.
  let backlog: () => number | undefined = () => undefined;
  const metrics = createPrometheusMetrics({
    inner: createServiceMetrics(logger, config.service),
    backlog: () => backlog(),
  });
  // The bodies read, lent to the capture sink while their requests run (kept as bytes): lent
  // only when it captures (`results.receivedBodies`), else the server keeps no body a request.
  const receivedBodies = new ReceivedBodies();
  const results = await openLocalResults({
    env,
    logger,
    receivedBodies,
    onDrop: (rows) => metrics.count(PREDICT_METRICS.rowsDropped, rows),
  });
  backlog = () => results.status().backlog_rows;
  const capture = results.capture;
  const handler = createPredictHandler({ config, sink: results.sink, logger, metrics, capture });
  const invoke = readInvokeApiConfig(env);
  // `/feedback` is the labels function's, as the deployed API routes it.
  const labels = createLabelsHandler({ config, sink: results.sink, logger, metrics });
  const server = createLocalServer(handler, {
    invoke,
    limits: readServerLimits(env),
    functions: { '/feedback': labels as LambdaHandler },
    metrics,
    receivedBodies: results.receivedBodies,
  });
  const host = env.HOST || '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(env.PORT ?? 3000), host, resolve);
    });
  } catch (error) {
    await results.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    handler,
    results,
    functionName: invoke.functionName,
    capture,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return results.close();
    },
  };
}
