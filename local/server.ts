import { startLocalServer } from './start-local-server';

/**
 * `npm start`: serves the handler on http://127.0.0.1:$PORT (default 3000) with the model in
 * `MODEL_DIR` (default `models/default`), recording every score in the results database
 * (PGlite in `.data/results` unless `DATABASE_URL` is set; `RESULTS_DB=off` records nothing).
 * Nothing else is needed: no AWS, no Docker, no database server.
 */
async function main(): Promise<void> {
  const started = performance.now();
  const running = await startLocalServer();
  const { url, handler, functionName } = running;
  const health = (await handler({ httpMethod: 'GET', path: '/health', requestContext: {} })) as {
    statusCode: number;
    body: string;
  };
  const status = JSON.parse(health.body) as {
    model_version?: string;
    backend?: string | null;
    error?: { message: string };
  };
  console.log(
    `budget-expense-matcher listening on ${url} (ready in ${(performance.now() - started).toFixed(0)} ms)`,
  );
  console.log(`  POST ${url}/budget_expense_matcher`);
  console.log(`  POST ${url}/feedback (labels)`);
  console.log(`  GET  ${url}/health`);
  console.log(`  POST ${url}/2015-03-31/functions/${functionName}/invocations (Lambda Invoke API)`);
  if (health.statusCode === 200)
    console.log(
      `  model ${status.model_version}, scored by ${status.backend ? `TF.js on the ${status.backend} backend` : 'the dense pass (TF.js not loaded)'}`,
    );
  else console.log(`  model NOT loaded: ${status.error?.message}`);
  console.log(`  results: ${running.results.where}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: writing the rows held to the journal and closing`);
    // Non-zero only when rows could not be kept anywhere (the journal's disk was full).
    running.close().then(
      ({ lostRows }) => {
        if (lostRows > 0) console.error(`${lostRows} result rows could not be kept (see the log)`);
        process.exit(lostRows > 0 ? 1 : 0);
      },
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
