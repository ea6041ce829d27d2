import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { handler } from '../lambda/predict';
import { createLocalServer } from '../local/create-server';
import { loadEvent } from '../test/helpers/events';
import { makeRequest } from './make-request';
import { quantile, timeMs } from './stats';

/**
 * `npm run bench:invoke`: what a call through the local Invoke API costs, as a JS SDK caller sees
 * it (client, SigV4 signing, loopback HTTP, context, log capture, handler, reply), beside the
 * handler called directly in the same process: the seed request with and without `Tail`, an
 * `Event` invocation's answer, and a 10 × 2,000-pair request. Prints a table and one JSON line.
 */
async function main(): Promise<void> {
  const server = createLocalServer(handler, { invoke: { echoLogs: false } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new LambdaClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const seed = Buffer.from(JSON.stringify(loadEvent('seed-request')));
  const large = Buffer.from(JSON.stringify(makeRequest(10, 2000)));
  const invoke = (Payload: Uint8Array, extra: Partial<ConstructorParameters<typeof InvokeCommand>[0]> = {}) =>
    client.send(new InvokeCommand({ FunctionName: 'budget-expense-matcher', Payload, ...extra }));

  const measure = async (runs: number, fn: () => Promise<unknown>) => {
    for (let i = 0; i < Math.min(100, runs); i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await timeMs(fn));
    return { p50_ms: round(quantile(samples, 0.5)), p99_ms: round(quantile(samples, 0.99)), runs };
  };
  const seedObject = loadEvent('seed-request');
  const largeObject = JSON.parse(large.toString()) as unknown;
  const results = {
    seed_handler_direct: await measure(2000, () => handler(seedObject)),
    seed_sdk_invoke: await measure(1000, () => invoke(seed)),
    seed_sdk_invoke_tail: await measure(1000, () => invoke(seed, { LogType: 'Tail' })),
    seed_sdk_event_202: await measure(1000, () => invoke(seed, { InvocationType: 'Event' })),
    pairs_20000_handler_direct: await measure(20, () => handler(largeObject)),
    pairs_20000_sdk_invoke: await measure(20, () => invoke(large)),
  };
  client.destroy();
  server.close();

  console.log('| measurement | p50 ms | p99 ms | runs |\n|---|---:|---:|---:|');
  for (const [name, r] of Object.entries(results))
    console.log(`| ${name} | ${r.p50_ms} | ${r.p99_ms} | ${r.runs} |`);
  console.log(JSON.stringify(results));
  process.exit(0);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
