import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { handler } from '../lambda/predict';
import { createLocalServer } from '../local/create-server';
import { writeFigures } from '../scripts/figures/write-figures';
import { loadEvent } from '../test/helpers/events';
import { invokeFigures } from './bench-figures';
import { makeRequest } from './make-request';
import { measureSqsSendCpu } from './sqs-send-cpu';
import { benchStartLambda } from './start-lambda';
import { quantile, timeMs } from './stats';

/**
 * `npm run bench:invoke`: what a call through the local Invoke API costs, as a JS SDK caller sees
 * it (client, SigV4 signing, loopback HTTP, context, log capture, handler, reply), beside the
 * handler called directly in the same process: the seed request with and without `Tail`, an
 * `Event` invocation's answer, and a 10 × 2,000-pair request. Then the same through
 * `start:lambda` (the built zips, one Node 24 process per instance; run `npm run build` first):
 * warm latency, instances' `Init Duration` and an instance's `Max Memory Used`. Prints a table and
 * one JSON line, and writes `.data/bench/invoke-api.json` with the date and machine.
 */
async function main(): Promise<void> {
  const loadAtStart = loadavg()[0] ?? Number.NaN;
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
  const lambda = await benchStartLambda();
  const sqsSendCpu = await measureSqsSendCpu();

  console.log('| measurement | p50 ms | p99 ms | runs |\n|---|---:|---:|---:|');
  for (const [name, r] of Object.entries(results))
    console.log(`| ${name} | ${r.p50_ms} | ${r.p99_ms} | ${r.runs} |`);
  for (const mode of [
    'recorded',
    'recorded_with_caller',
    'recorded_before_reply',
    'not_recorded',
    'not_recorded_frozen',
  ] as const) {
    for (const name of ['seed_sdk_invoke_warm', 'pairs_20000_sdk_invoke'] as const) {
      const r = lambda[mode][name];
      console.log(`| start:lambda ${mode} ${name} | ${r.p50_ms} | ${r.p99_ms} | ${r.runs} |`);
    }
  }
  console.log(
    '\n| SQS latency | rows a reply | RESULTS_SEND | caller p50 ms | caller p99 ms | instances started |',
  );
  for (const h of lambda.sqs_handoff)
    console.log(
      `| ${h.sqs_latency_ms} | ${h.rows_a_reply} | ${h.send} | ${h.caller.p50_ms} | ${h.caller.p99_ms} | ${h.instances_started} |`,
    );
  for (const mode of [
    'not_recorded',
    'not_recorded_frozen',
    'recorded',
    'recorded_with_caller',
    'recorded_before_reply',
  ] as const)
    console.log(
      `start:lambda ${mode}: predict CPU ${lambda[mode].instance_cpu_ms_per_call} ms a warm seed call, writer ${lambda[mode].writer_cpu_ms_per_call} ms, ${lambda[mode].instances_after_warm} instances in the pool, ${lambda[mode].instances_started_warm} started during the calls`,
    );
  console.log(
    `SendMessageBatch CPU a call: SDK SQSClient ${sqsSendCpu.sdk_client_us} µs, own client ${sqsSendCpu.signer_client_us} µs (${sqsSendCpu.calls} calls each)`,
  );
  console.log(
    `\nstart:lambda on node ${lambda.node}: Init Duration median ${lambda.init_duration_ms.median} ms (max ${lambda.init_duration_ms.max}; an empty function's ${lambda.init_duration_empty_function_ms.median} ms); ` +
      `Max Memory Used after 10 x 2,000 pairs ${lambda.recorded.max_memory_used_10x2000_mb} MB recorded, ${lambda.not_recorded.max_memory_used_10x2000_mb} MB not recorded, of ${lambda.recorded.memory_size_mb} MB`,
  );
  const file = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memory_gib: Math.round(totalmem() / 2 ** 30),
      host: hostname(),
      // Other work on the machine: figures from a loaded machine are read against the in-process ones.
      load_average_1m: loadAtStart,
    },
    load_average_at_end_1m: loadavg()[0] ?? Number.NaN,
    node: process.version,
    in_process: results,
    start_lambda: lambda,
    sqs_send_cpu: sqsSendCpu,
    targets: { start_lambda_seed_p50_ms: 2, init_duration_ms: 250, max_memory_used_10x2000_mb: 250 },
    // Which way the predict function sends its rows by default (RESULTS_SEND), kept on these figures.
    results_send_default: 'after-reply',
  };
  mkdirSync('.data/bench', { recursive: true });
  writeFileSync('.data/bench/invoke-api.json', `${JSON.stringify(file, null, 2)}\n`);
  console.log('written to .data/bench/invoke-api.json');
  console.log(`figures: ${writeFigures('invoke', invokeFigures(file))}`);
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
