import { handler } from '../lambda/predict';
import { createLocalServer } from './create-server';
import { readInvokeApiConfig } from './invoke';

/**
 * `npm start`: serves the handler on http://127.0.0.1:$PORT (default 3000) with the model in
 * `MODEL_DIR` (default `models/default`). Nothing else is needed: no AWS, no Docker.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT || 3000);
  const host = process.env.HOST || '127.0.0.1';
  const invoke = readInvokeApiConfig();
  const server = createLocalServer(handler, { invoke });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const health = (await handler({ httpMethod: 'GET', path: '/health', requestContext: {} })) as {
    statusCode: number;
    body: string;
  };
  const status = JSON.parse(health.body) as {
    model_version?: string;
    backend?: string;
    error?: { message: string };
  };
  console.log(`budget-expense-matcher listening on ${url}`);
  console.log(`  POST ${url}/budget_expense_matcher`);
  console.log(`  GET  ${url}/health`);
  console.log(`  POST ${url}/2015-03-31/functions/${invoke.functionName}/invocations (Lambda Invoke API)`);
  if (health.statusCode === 200)
    console.log(`  model ${status.model_version} on the ${status.backend} backend`);
  else console.log(`  model NOT loaded: ${status.error?.message}`);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
