import { readConfig } from '../lambda/config';
import { parseRequestBody } from '../lambda/contract';
import { normaliseBudget, normaliseItem, pairFeatures } from '../lambda/features';
import { assembleReply } from '../lambda/matcher';
import { currentModel } from '../lambda/model';
import { handler } from '../lambda/predict';
import { loadEvent } from '../test/helpers/events';
import { makeRequest } from './make-request';
import { quantile, timeMs } from './stats';

/**
 * Warm measurements in this process, on the backend `TFJS_BACKEND` names: the seed request's
 * latency through the handler, and 10 × 2,000 pairs parse-to-reply with a phase breakdown.
 * Prints one JSON object; `bench/bench.ts` runs it once per backend.
 */
async function main(): Promise<void> {
  const seed = loadEvent('seed-request');
  const seedEvent = loadEvent('api-gateway-seed');
  const model = await currentModel(readConfig());

  const latency = async (event: unknown, runs: number) => {
    for (let i = 0; i < 300; i++) await handler(event);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await timeMs(() => handler(event)));
    return { p50_ms: quantile(samples, 0.5), p99_ms: quantile(samples, 0.99), runs };
  };
  const seedInvoke = await latency(seed, 3000);
  const seedApi = await latency(seedEvent, 3000);

  const request = makeRequest(10, 2000);
  const body = JSON.stringify(request);
  const bigEvent = { ...seedEvent, body };
  const pairs = 10 * 2000;
  for (let i = 0; i < 3; i++) await handler(bigEvent);
  const runs = 15;
  const whole: number[] = [];
  const phases = {
    parse: [] as number[],
    features: [] as number[],
    score: [] as number[],
    reply: [] as number[],
  };
  const reference: number[] = [];
  for (let i = 0; i < runs; i++) {
    whole.push(await timeMs(() => handler(bigEvent)));
    let parsed = parseRequestBody(body);
    phases.parse.push(
      await timeMs(() => {
        parsed = parseRequestBody(body);
      }),
    );
    const budgets = parsed.budgets.flatMap((b) => (b.ok ? [b.value] : []));
    const items = parsed.items.flatMap((it) => (it.ok ? [it.value] : []));
    let features: Float32Array = new Float32Array(0);
    phases.features.push(
      await timeMs(() => {
        features = pairFeatures(budgets.map(normaliseBudget), items.map(normaliseItem));
      }),
    );
    let scores: Float32Array = new Float32Array(0);
    phases.score.push(
      await timeMs(() => {
        scores = model.score(features, pairs);
      }),
    );
    phases.reply.push(await timeMs(() => JSON.stringify(assembleReply(parsed, scores, model.threshold))));
    const reply = assembleReply(parsed, scores, model.threshold);
    // Reference: what any JavaScript handler pays to read this body and write this reply.
    reference.push(await timeMs(() => JSON.stringify(JSON.parse(body) && reply)));
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  console.log(
    JSON.stringify({
      backend: model.backend,
      model_version: model.version,
      seed_invoke: seedInvoke,
      seed_api_gateway: seedApi,
      throughput: {
        budgets: 10,
        items: 2000,
        pairs,
        body_bytes: Buffer.byteLength(body),
        median_ms: median(whole),
        pairs_per_second: Math.round(pairs / (median(whole) / 1000)),
        phases_median_ms: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, median(v)])),
        reference_json_parse_stringify_ms: median(reference),
        runs,
      },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
