import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { DIST } from '../cdk/dist-layout';
import { LoopbackSqs } from '../local/lambda-runtime/loopback-sqs';
import { resolveNode24 } from '../local/lambda-runtime/node-binary';
import { EVENT_NAMES, loadEvent } from '../test/helpers/events';
import { HANDLERS } from './esbuild-options';
import { type LayoutTiming, lambdaLayoutFigures } from './figures/lambda-layout-figures';
import { writeFigures } from './figures/write-figures';
import { invokeInLambdaLayout } from './lambda-layout';
import { findMismatch } from './reply-mismatch';

/**
 * `npm run check:lambda` (after `npm run build`): runs every built function from its zip with
 * the layer's zip, as Lambda lays them out, on Lambda's Node major version (the Node 24 binary
 * `npm run setup:node24` installs, {@link resolveNode24}). The predict function answers every event in
 * `events/` as it is deployed (the dense pass, TF.js never loaded), then with `SCORING_ENGINE=tfjs`
 * once per shipped backend (the layer's TF.js is what scores any model the dense pass does not
 * cover), and each reply must equal what the source handler answers in this process (scores
 * within 1e-4 across backends) and never be a 5xx. The other functions must load and export
 * `handler`. What the cold process cost goes to the figures (`.data/figures/lambda-layout.json`,
 * `writeFigures`) for docs/deploying.md.
 */
async function main(): Promise<void> {
  const started = performance.now();
  const timings: LayoutTiming[] = [];
  for (const zip of [DIST.functionZip('predict'), DIST.layerZip]) {
    if (!existsSync(zip)) throw new Error(`${zip} is missing: run \`npm run build\` first`);
  }
  const node = resolveNode24();
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`running the zips on node ${nodeVersion} (${node})`);
  const { handler: sourceHandler } = await import('../lambda/predict');
  const events = Object.fromEntries(EVENT_NAMES.map((name) => [name, loadEvent(name)]));
  const expected: Record<string, unknown> = {};
  for (const [name, event] of Object.entries(events)) {
    expected[name] = await sourceHandler(event, { awsRequestId: `layout-check-${name}` });
  }
  const failures: string[] = [];

  const runs = [
    { label: 'dense', env: {}, expect: { backend: null, engine: 'dense' } },
    {
      label: 'tfjs cpu',
      env: { SCORING_ENGINE: 'tfjs', TFJS_BACKEND: 'cpu' },
      expect: { backend: 'cpu', engine: 'tfjs' },
    },
    {
      label: 'tfjs wasm',
      env: { SCORING_ENGINE: 'tfjs', TFJS_BACKEND: 'wasm' },
      expect: { backend: 'wasm', engine: 'tfjs' },
    },
  ] as const;
  for (const { label, env, expect } of runs) {
    const { replies, output, loadMs, firstReplyMs } = await invokeInLambdaLayout({
      functionZip: DIST.functionZip('predict'),
      layerZips: [DIST.layerZip],
      events,
      env,
      node,
    });
    const before = failures.length;
    for (const name of EVENT_NAMES) {
      const problem = findMismatch(replies[name], expected[name], expect);
      if (problem) failures.push(`predict (${label}) ${name}: ${problem}`);
    }
    // The replies hide internals by design; the function's own error logs say what broke.
    if (failures.length > before) {
      const errors = output.split('\n').filter((line) => line.includes('"level":"ERROR"'));
      failures.push(...errors.slice(0, 3).map((line) => `predict (${label}) logged: ${line}`));
    }
    // Figures to read, not to assert: one run on a shared machine is noisy.
    console.log(
      `predict (${label}): ${EVENT_NAMES.length} events answered from the zips; ` +
        `handler load ${loadMs.toFixed(0)} ms, first reply ${firstReplyMs?.toFixed(0) ?? '-'} ms`,
    );
    timings.push({ run: label, events: EVENT_NAMES.length, loadMs, firstReplyMs });
  }

  failures.push(...(await checkRecording(node, events)));

  for (const { name } of HANDLERS.filter((h) => h.name !== 'predict')) {
    if (!existsSync(DIST.functionZip(name))) {
      console.log(`skip ${name}: not built`);
      continue;
    }
    const { replies } = await invokeInLambdaLayout({
      functionZip: DIST.functionZip(name),
      layerZips: [DIST.layerZip],
      events: {},
      node,
    });
    if (!isDeepStrictEqual(replies, {})) failures.push(`${name}: unexpected replies`);
    console.log(`${name}: loads from the zips and exports handler`);
  }

  if (failures.length > 0) {
    for (const f of failures) console.error(`error: ${f}`);
    process.exitCode = 1;
    return;
  }
  const figures = lambdaLayoutFigures({
    zipNode: nodeVersion,
    timings,
    checkSeconds: (performance.now() - started) / 1000,
    loadAverage: loadavg(),
  });
  console.log(`figures: ${writeFigures('lambda-layout', figures)}`);
}

/**
 * The predict function recording, from the zips: with a results queue (a loopback SQS), every
 * scored event's rows must reach it, sent by the function's own SQS client from the signer's file
 * beside the bundle (no Extensions API here, so each reply waits for its rows). Failures, by line.
 */
async function checkRecording(node: string, events: Record<string, unknown>): Promise<string[]> {
  const queue = new LoopbackSqs();
  await queue.start();
  try {
    const scored = {
      'seed-request': events['seed-request'],
      'direct-invoke-trip': events['direct-invoke-trip'],
    };
    await invokeInLambdaLayout({
      functionZip: DIST.functionZip('predict'),
      layerZips: [DIST.layerZip],
      events: scored,
      env: {
        RESULTS_QUEUE_URL: queue.queueUrl,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'check',
        AWS_SECRET_ACCESS_KEY: 'check',
      },
      node,
    });
    const bodies = queue.receive(100).map((m) => m.body);
    const requests = new Set(
      bodies.flatMap((body) => [...body.matchAll(/"request_id":"(layout-check-[^"]+)"/g)].map((m) => m[1])),
    );
    const missing = Object.keys(scored).filter((name) => !requests.has(`layout-check-${name}`));
    console.log(
      `predict (recording): ${bodies.length} messages on the loopback queue, for ${requests.size} requests`,
    );
    return missing.map((name) => `predict (recording) ${name}: no rows reached the results queue`);
  } catch (error) {
    return [`predict (recording): ${error instanceof Error ? error.message : String(error)}`];
  } finally {
    await queue.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
