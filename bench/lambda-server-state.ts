import { type RunningLambdaServer, startLambdaServer } from '../local/lambda-runtime/start-lambda-server';

/** What `npm run bench:invoke` reads of a running `start:lambda` (`bench/start-lambda.ts`). */
export interface ServerProcessState {
  readonly predictPids: number[];
  readonly writerPids: number[];
  readonly predictStarted: number;
  readonly predictInstances: number;
  /** Messages waiting or in flight in the loopback results queue; undefined when not recording. */
  readonly queue: { readonly depth: number; readonly inFlight: number } | undefined;
}

/**
 * Starts `start:lambda` as the bench measures it (no log echo) and resolves once its local
 * results database is open: a new PGlite directory takes seconds to make, and the database is
 * simply there in AWS.
 */
export async function startOpenLambdaServer(env?: NodeJS.ProcessEnv): Promise<RunningLambdaServer> {
  const running = await startLambdaServer({ ...(env ? { env } : {}), echoLogs: false, log: () => {} });
  const deadline = Date.now() + 300_000;
  while (running.results.status().state === 'connecting') {
    if (Date.now() > deadline) {
      await running.close();
      throw new Error('the local results database did not open within 300 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return running;
}

/** The instances' process ids, the pools' counts and the queue's depth, now. */
export function serverState(running: RunningLambdaServer): ServerProcessState {
  const stats = running.predict.stats();
  return {
    predictPids: running.predict.pids(),
    writerPids: running.writer?.pids() ?? [],
    predictStarted: stats.started,
    predictInstances: stats.instances,
    queue: running.queue ? { depth: running.queue.depth, inFlight: running.queue.inFlightCount } : undefined,
  };
}
