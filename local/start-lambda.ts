import { execFileSync } from 'node:child_process';
import { startLambdaServer } from './lambda-runtime/start-lambda-server';

/**
 * `npm run start:lambda` (after `npm run build`): the built zips run as Lambda runs them, one
 * process per function instance on Lambda's Node major version, behind the same routes and
 * Invoke API as `npm start`, on http://127.0.0.1:$PORT (default 3000). docs/local-runs.md says
 * what it emulates and how it compares with `sam local` and the Lambda base images.
 */
async function main(): Promise<void> {
  const started = performance.now();
  const running = await startLambdaServer();
  const { url, functionName, stack } = running;
  const version = execFileSync(running.node, ['--version'], { encoding: 'utf8' }).trim();
  const p = stack.predict;
  console.log(
    `budget-expense-matcher (built zips, Lambda-style) listening on ${url} (ready in ${(performance.now() - started).toFixed(0)} ms)`,
  );
  console.log(`  POST ${url}/budget_expense_matcher`);
  console.log(`  POST ${url}/feedback (labels)`);
  console.log(`  GET  ${url}/health`);
  console.log(`  POST ${url}/2015-03-31/functions/${functionName}/invocations (Lambda Invoke API)`);
  console.log(
    `  predict: ${p.handler} on node ${version} (${p.runtime} in AWS), ${p.memorySizeMb} MB, ${p.timeoutSeconds} s, up to ${p.reservedConcurrency ?? '-'} instances; instances start on first use`,
  );
  console.log(
    running.queue
      ? `  results: predict -> results queue (${running.queue.queueUrl}) -> writer -> ${running.results.where}`
      : `  results: ${running.results.where}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: writing the queued results, ending the instances`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
