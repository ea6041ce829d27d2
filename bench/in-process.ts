import { constants, PerformanceObserver } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { readConfig } from '../lambda/config';
import { type ParsedRequest, parseRequest, parseRequestBody } from '../lambda/contract';
import { Normaliser, pairFeatures } from '../lambda/features';
import { assembleReply, scorePairs, writeReplyJson } from '../lambda/matcher';
import { applyReciprocalStage, currentModel, type ReciprocalStage } from '../lambda/model';
import { handler } from '../lambda/predict';
import { denseOfDirectory } from '../test/helpers/dense-of-directory';
import { loadEvent } from '../test/helpers/events';
import { parseRequestWithSchemas } from '../test/helpers/parse-with-schemas';
import {
  referenceNormaliseBudget,
  referenceNormaliseItem,
  referencePairFeatures,
} from '../test/helpers/reference-features';
import { makeRequest } from './make-request';
import { quantile } from './stats';

/**
 * The in-process figures of `npm run bench`, in this process (one core), on the backend
 * `TFJS_BACKEND` names, recording off. Prints one JSON object. Run lengths scale with
 * `BENCH_SCALE` (1 = the full run; 0.2 while developing).
 */
const SCALE = Number(process.env.BENCH_SCALE || 1);
const runs = (n: number) => Math.max(3, Math.round(n * SCALE));

function timeSync(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => quantile(xs, 0.5);

/** Wall and CPU milliseconds of one call: on a loaded machine wall time includes waiting for a core, CPU time does not. */
async function timeBoth(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/** Medians of each named function, run in turns (a, b, a, b ...) so load swings hit both alike. */
function interleaved(n: number, fns: Record<string, () => unknown>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < n; i++) for (const [k, fn] of Object.entries(fns)) samples[k]?.push(timeSync(fn));
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

const apiEvent = (body: string) => ({ ...loadEvent('api-gateway-seed'), body });

/** The whole handler call on `event`, as a function the latency loop times. */
const handlerCall = (event: unknown, context?: { awsRequestId: string }) => () => handler(event, context);

interface Latency {
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly p99_over_p50: number;
  readonly runs: number;
  /** Of the calls at or above the p99, how many overlapped a garbage collection. */
  readonly at_p99_with_gc: number;
  readonly at_p99: number;
}

/** The collections V8 reported during the timed turns (not hidden from any figure: counted). */
interface Collections {
  readonly scavenges: number;
  readonly other: number;
  readonly turns: number;
}

/**
 * p50, p90 and p99 of each async function, called in turns (a, b, c, a, b, c ...) `n` times each
 * after `warm` untimed turns; each sample is one awaited call between two reads of the clock, kept
 * in a preallocated array (the loop itself allocates nothing a sample).
 */
async function latencies<K extends string>(
  fns: Record<K, () => Promise<unknown>>,
  n: number,
  warm: number,
): Promise<{ latency: Record<K, Latency>; collections: Collections }> {
  const names = Object.keys(fns) as K[];
  const calls = names.map((k) => fns[k]);
  for (let i = 0; i < warm; i++) for (const call of calls) await call();
  // Each collection's span, to tell which slow calls a collection was part of.
  const gcs: Array<{ start: number; end: number; minor: boolean }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      gcs.push({
        start: e.startTime,
        end: e.startTime + e.duration,
        minor: kind === constants.NODE_PERFORMANCE_GC_MINOR,
      });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const starts = calls.map(() => new Float64Array(n));
  const samples = calls.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < calls.length; k++) {
      const call = calls[k] as () => Promise<unknown>;
      const start = performance.now();
      await call();
      (samples[k] as Float64Array)[i] = performance.now() - start;
      (starts[k] as Float64Array)[i] = start;
    }
  }
  // The observer's entries arrive on a later turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const out = {} as Record<K, Latency>;
  names.forEach((name, k) => {
    const xs = Array.from(samples[k] as Float64Array);
    const p50 = quantile(xs, 0.5);
    const p99 = quantile(xs, 0.99);
    let atP99 = 0;
    let withGc = 0;
    xs.forEach((ms, i) => {
      if (ms < p99) return;
      atP99++;
      const start = (starts[k] as Float64Array)[i] as number;
      if (gcs.some((g) => g.start < start + ms && g.end > start)) withGc++;
    });
    out[name] = {
      p50_ms: p50,
      p90_ms: quantile(xs, 0.9),
      p99_ms: p99,
      p99_over_p50: p99 / p50,
      runs: n,
      at_p99: atP99,
      at_p99_with_gc: withGc,
    };
  });
  const scavenges = gcs.filter((g) => g.minor).length;
  return { latency: out, collections: { scavenges, other: gcs.length - scavenges, turns: n } };
}

/** Where {@link spin} leaves its result, so the loop is not optimised away. */
let spun = 0;

/**
 * The spin reference: `n` turns of a pure arithmetic loop (no allocation, no memory beyond
 * registers, no call). Timed like the handler in the same turns, its own p99 / p50 is the tail
 * the machine alone adds to a call of that length (interruptions, frequency, the timer).
 */
function spin(n: number): number {
  let x = 1;
  for (let i = 0; i < n; i++) x = (x * 48271) % 2147483647;
  spun = x;
  return x;
}

/** Turns of {@link spin} that take about `ms` in a long synchronous run (a first estimate). */
function spinTurnsFor(ms: number): number {
  const probe = 200_000;
  const times: number[] = [];
  for (let i = 0; i < 31; i++) times.push(timeSync(() => spin(probe)));
  return Math.max(1, Math.round((probe * ms) / median(times)));
}

/** The handler's p50 over `n` untimed-order calls (to size the spin reference). */
async function p50Of(call: () => Promise<unknown>, n: number): Promise<number> {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call();
    xs[i] = performance.now() - start;
  }
  return quantile(Array.from(xs), 0.5);
}

/**
 * Bytes a call leaves on the heap for the collector: the growth of `heapUsed` over `batch`
 * awaited calls, in batches during which V8 collected nothing (a `PerformanceObserver` counts
 * collections), divided by `batch`; the median batch. Garbage is what a scavenge later walks.
 */
async function heapBytesPerCall(
  call: () => Promise<unknown>,
  batch: number,
  batches: number,
): Promise<number> {
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const perCall: number[] = [];
  for (let b = 0; b < batches; b++) {
    // Let the observer's entries of the last batch arrive before this one starts.
    await new Promise((resolve) => setImmediate(resolve));
    const seen = collections;
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < batch; i++) await call();
    const after = process.memoryUsage().heapUsed;
    await new Promise((resolve) => setImmediate(resolve));
    if (collections === seen && after >= before) perCall.push((after - before) / batch);
  }
  observer.disconnect();
  return perCall.length > 0 ? median(perCall) : Number.NaN;
}

async function main(): Promise<void> {
  const model = await currentModel(readConfig());

  // 1 × 1: the seed request through the handler (API Gateway event, direct invoke), each call
  // interleaved with the reference, JSON.parse of the body and JSON.stringify of the reply, timed
  // the same way (an awaited call between two clock reads), so a load swing or a collection hits
  // both alike. Warm-up first: V8 was still compiling the handler's functions with TurboFan after
  // 20,000 calls (`--trace-opt`), and after 500 the p90 was several times the p50: neither is
  // the steady state a server runs in.
  const seedBody = JSON.stringify(loadEvent('seed-request'));
  const seedReply = assembleReply(parseRequestBody(seedBody), new Float32Array([0.5]), model.threshold);
  const seedReference = async () => JSON.stringify(JSON.parse(seedBody) && seedReply);
  // Lambda passes every invocation a context with its request id; without one the handler makes
  // a UUID, whose batch refill (every 128th call) the deployed function never runs.
  const context = { awsRequestId: '0f8fad5b-d9cb-469f-a165-70867728950e' };
  const apiGatewayCall = handlerCall(loadEvent('api-gateway-seed'), context);
  const seedFns = {
    api_gateway: apiGatewayCall,
    invoke: handlerCall(loadEvent('seed-request'), context),
    reference: seedReference,
    spin: async () => spin(spinTurns),
  };
  // The spin reference is sized to the handler's p50 (API Gateway event) in the same interleaved
  // turns as the timed ones (a loop timed alone ran faster than between the handler's calls):
  // a first estimate, then corrected by short interleaved runs after a first warm-up.
  for (let i = 0; i < Math.max(1000, runs(20_000)); i++) await apiGatewayCall();
  let spinTurns = spinTurnsFor(await p50Of(apiGatewayCall, Math.max(500, runs(5_000))));
  for (let round = 0; round < 3; round++) {
    const { latency } = await latencies(seedFns, Math.max(500, runs(3_000)), 0);
    spinTurns = Math.max(1, Math.round((spinTurns * latency.api_gateway.p50_ms) / latency.spin.p50_ms));
  }
  const { latency: seed, collections: seedCollections } = await latencies(
    seedFns,
    runs(20_000),
    Math.max(2000, runs(100_000)),
  );
  if (spun === 0) throw new Error('the spin reference did not run');
  const heapBytes = {
    api_gateway: await heapBytesPerCall(apiGatewayCall, 200, Math.max(20, runs(200))),
    invoke: await heapBytesPerCall(
      handlerCall(loadEvent('seed-request'), context),
      200,
      Math.max(20, runs(200)),
    ),
    reference_json_parse_stringify: await heapBytesPerCall(seedReference, 200, Math.max(20, runs(200))),
  };
  const seedApi = seed.api_gateway;
  const seedInvoke = seed.invoke;

  // 10 × 2,000 = 20,000 pairs: the handler beside the JSON reference, then stage by stage, each
  // hand-written stage beside what it replaced.
  const request = makeRequest(10, 2000);
  const body = JSON.stringify(request);
  const event = apiEvent(body);
  const pairs = 20_000;
  for (let i = 0; i < 3; i++) await handler(event);
  const parsed: ParsedRequest = parseRequestBody(body);
  // The scores the handler answers with (the network, then the model's reciprocal stage).
  const scores = scorePairs(parsed, model);
  const replyEntries = assembleReply(parsed, scores, model.threshold);
  const whole: number[] = [];
  const reference: number[] = [];
  const wholeCpu: number[] = [];
  const referenceCpu: number[] = [];
  for (let i = 0; i < runs(25); i++) {
    const h = await timeBoth(() => handler(event));
    const r = await timeBoth(() => JSON.stringify(JSON.parse(body) && replyEntries));
    whole.push(h.wall);
    wholeCpu.push(h.cpu);
    reference.push(r.wall);
    referenceCpu.push(r.cpu);
  }
  const decoded = JSON.parse(body) as unknown;
  const okBudgets = parsed.budgets.flatMap((b) => (b.ok ? [b.value] : []));
  const okItems = parsed.items.flatMap((i) => (i.ok ? [i.value] : []));
  const normaliser = () => new Normaliser();
  const normalised = (() => {
    const n = normaliser();
    return { budgets: okBudgets.map((b) => n.budget(b)), items: okItems.map((i) => n.item(i)) };
  })();
  const matrix = pairFeatures(normalised.budgets, normalised.items);
  const keptMatrix = new Float32Array(matrix.length);
  // The same weights in TF.js (loaded here, after the figures above: the dense pass needs no TF.js).
  const tfjs = await model.tfjs();
  const dense = denseOfDirectory(readConfig().modelDir);
  const n = runs(15);
  const stages = {
    json_parse: interleaved(n, { now: () => JSON.parse(body) }),
    parse_entries: interleaved(n, {
      now: () => parseRequest(decoded),
      before: () => parseRequestWithSchemas(decoded),
    }),
    normalise: interleaved(n, {
      now: () => {
        const nz = normaliser();
        okBudgets.map((b) => nz.budget(b));
        okItems.map((i) => nz.item(i));
      },
      before: () => {
        okBudgets.map((b) => referenceNormaliseBudget(b));
        okItems.map((i) => referenceNormaliseItem(i));
      },
    }),
    pair_features: interleaved(n, {
      // Into a kept array, as serving writes them (lambda/matcher/match-request.ts, matrixFor).
      now: () => pairFeatures(normalised.budgets, normalised.items, keptMatrix),
      before: () => referencePairFeatures(normalised.budgets, normalised.items),
    }),
    model_call: interleaved(n, {
      now: () => model.score(matrix, pairs, 2000),
      before: () => tfjs.score(matrix, pairs),
    }),
    // The same dense pass, split by column scope (now) against row by row (before).
    model_call_block_pass: interleaved(n, {
      now: () => model.score(matrix, pairs, 2000),
      before: () => model.score(matrix, pairs),
    }),
    // The same block pass: the per-pair part in the WebAssembly SIMD kernel (now) against the
    // scalar JavaScript loop it replaced (before), on the served model's weights.
    model_call_pair_kernel: interleaved(n, {
      now: () => dense.scoreBlocks(matrix, 10, 2000, true),
      before: () => dense.scoreBlocks(matrix, 10, 2000, false),
    }),
    // The model's reciprocal stage over the request's 10 × 2,000 network scores (on a copy, as
    // the handler's stage rewrites the scores it is given).
    ...(model.stage
      ? {
          reciprocal_stage: interleaved(n, {
            now: () =>
              applyReciprocalStage(Float32Array.from(scores), 10, 2000, model.stage as ReciprocalStage),
          }),
        }
      : {}),
    reply: interleaved(n, {
      now: () => writeReplyJson(parsed, scores, model.threshold),
      before: () => JSON.stringify(assembleReply(parsed, scores, model.threshold)),
    }),
  };

  // 2 budgets × 16,666 items (about 5.7 MB) and 50 × 1,000 (the pair limit), whole handler.
  const big = JSON.stringify(makeRequest(2, 16_666));
  const bigEvent = apiEvent(big);
  const limit = JSON.stringify(makeRequest(50, 1000));
  const limitEvent = apiEvent(limit);
  const bigTimes: number[] = [];
  const bigCpu: number[] = [];
  const limitTimes: number[] = [];
  for (let i = 0; i < runs(7); i++) {
    const b = await timeBoth(() => checkOk(handler(bigEvent)));
    bigTimes.push(b.wall);
    bigCpu.push(b.cpu);
    limitTimes.push(await timeAsync(() => checkOk(handler(limitEvent))));
  }

  // Compression of the 20,000-pair reply, beside the time to score it.
  const replyJson = writeReplyJson(parsed, scores, model.threshold);
  const gzipTimes = { level6: [] as number[], level1: [] as number[] };
  let gz6 = 0;
  let gz1 = 0;
  for (let i = 0; i < runs(7); i++) {
    gzipTimes.level6.push(timeSync(() => (gz6 = gzipSync(replyJson).length)));
    gzipTimes.level1.push(timeSync(() => (gz1 = gzipSync(replyJson, { level: 1 }).length)));
  }

  // Where compression starts to pay: reply bytes, gzipped bytes and gzip time by pairs a reply.
  const TCP_SEGMENT = 1460;
  const bySize = [1, 2, 5, 10, 20, 30, 50, 100, 1000].map((items) => {
    const p = parseRequestBody(JSON.stringify(makeRequest(1, items)));
    const json = writeReplyJson(p, scorePairs(p, model), model.threshold);
    const times: number[] = [];
    let zipped = 0;
    for (let i = 0; i < runs(200); i++) times.push(timeSync(() => (zipped = gzipSync(json).length)));
    const bytes = Buffer.byteLength(json);
    return {
      pairs: items,
      reply_bytes: bytes,
      gzip_bytes: zipped,
      saved_bytes: bytes - zipped,
      gzip_us: median(times) * 1000,
    };
  });
  const pays = bySize.find((r) => r.saved_bytes >= TCP_SEGMENT);

  console.log(
    JSON.stringify({
      backend: model.backend ?? `none (TF.js reference on ${tfjs.backend})`,
      engine: model.engine,
      model_version: model.version,
      seed_1x1: {
        api_gateway: seedApi,
        invoke: seedInvoke,
        reference_json_parse_stringify: seed.reference,
        reference_spin: { ...seed.spin, turns: spinTurns },
        heap_bytes_per_call: heapBytes,
        collections: seedCollections,
      },
      pairs_20000: {
        budgets: 10,
        items: 2000,
        body_bytes: Buffer.byteLength(body),
        reply_bytes: Buffer.byteLength(replyJson),
        handler_ms: median(whole),
        pairs_per_second: Math.round(pairs / (median(whole) / 1000)),
        reference_json_parse_stringify_ms: median(reference),
        ratio_to_reference: median(whole) / median(reference),
        cpu: {
          handler_ms: median(wholeCpu),
          reference_json_parse_stringify_ms: median(referenceCpu),
          ratio_to_reference: median(wholeCpu) / median(referenceCpu),
        },
        runs: whole.length,
        stages_median_ms: stages,
      },
      big_2x16666: {
        body_bytes: Buffer.byteLength(big),
        pairs: 2 * 16_666,
        handler_ms: median(bigTimes),
        cpu_ms: median(bigCpu),
        per_item_us: (median(bigTimes) * 1000) / 16_666,
      },
      limit_50x1000: { pairs: 50_000, body_bytes: Buffer.byteLength(limit), handler_ms: median(limitTimes) },
      gzip_reply_20000: {
        reply_bytes: Buffer.byteLength(replyJson),
        gzip6_bytes: gz6,
        gzip6_ms: median(gzipTimes.level6),
        gzip1_bytes: gz1,
        gzip1_ms: median(gzipTimes.level1),
        scoring_ms: median(whole),
      },
      gzip_by_reply_size: {
        rows: bySize,
        first_saving_a_tcp_segment: pays ? { pairs: pays.pairs, reply_bytes: pays.reply_bytes } : null,
      },
    }),
  );
}

async function checkOk(reply: Promise<unknown>): Promise<void> {
  const r = (await reply) as { statusCode?: number; body?: string };
  if (r.statusCode !== 200) throw new Error(`expected 200, got ${r.statusCode}: ${r.body?.slice(0, 300)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
