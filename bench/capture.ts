/**
 * `npm run bench:capture`: what capturing requests adds to a reply on the local server's path.
 * The predict handler (the one Lambda and `npm start` run) answers API Gateway events carrying the
 * seed request and a 10 × 200 request, alternating (each body decoded from its bytes for each
 * request, the bytes lent to the capture sink, as the local server does), with its results going to a real results
 * journal (`JournalSink` on disk, as `npm start` records them), and capture off, or on (every
 * request into the same journal, `JournalCaptureSink`). The event loop turns between requests,
 * so the journal's cuts (serialising rows and captures, encoding and writing them) run inside the
 * measured round, as they do on a busy server. Three measures a reply: the handler call's own
 * latency (what a caller waits for), the process's CPU time (every thread: the journal's work
 * included) and the wall time with the wait for write + fsync at the round's end (which a server
 * does not wait for before replying). Every round runs off, on and off again, in an order that
 * turns each round; on − off is paired by round and compared with off again − off, the noise
 * measured in the same run. Writes `.data/figures/capture.json` (`writeFigures`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { type CaptureSink, discardingCaptureSink } from '../lambda/captures';
import { readConfig } from '../lambda/config';
import { createPredictHandler } from '../lambda/predict';
import { ReceivedBodies } from '../local/received-bodies';
import { JournalCaptureSink } from '../local/results/journal-capture-sink';
import { JournalSink } from '../local/results/journal-sink';
import { JournalWriter } from '../local/results/journal-writer';
import { writeFigures } from '../scripts/figures/write-figures';
import { loadEvent } from '../test/helpers/events';
import { makeRequest } from './make-request';
import { quantile } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 30);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND || 40);
const MODES = ['off', 'on', 'offAgain'] as const;
type Mode = (typeof MODES)[number];

/** One round's figures, per reply. */
interface Round {
  /** Each handler call's own time (µs): what a client waits for. */
  readonly latencies: number[];
  /** Process CPU time (user + system, µs), the journal's cuts, encoding and writes included. */
  readonly cpuUs: number;
  /** Wall time (µs), the wait for the journal's write and fsync at the round's end included. */
  readonly wallUs: number;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-capture-'));
  const logger = new Logger({ logLevel: 'SILENT' });
  const config = readConfig({ ...process.env });
  const writer = await JournalWriter.open({ dir, maxBytes: 64 * 1024 ** 3 });
  const journal = new JournalSink({ writer, flushMs: 100, logger });
  // As the local server runs them: the body bytes read are lent while the handler runs, and the
  // capture sink keeps those bytes (`local/received-bodies.ts`).
  const received = new ReceivedBodies();
  const handlerWith = (capture: CaptureSink) =>
    createPredictHandler({ config, sink: journal, logger, capture });
  const handlers: Record<Mode, ReturnType<typeof handlerWith>> = {
    off: handlerWith(discardingCaptureSink),
    on: handlerWith(new JournalCaptureSink(journal, 1, received)),
    offAgain: handlerWith(discardingCaptureSink),
  };
  // Bytes, decoded for each request as the server decodes what it read (a fresh string each time,
  // as each request's is: a 10 × 200 body with non-ASCII text is a two-byte string).
  const bodies = [JSON.stringify(loadEvent('seed-request')), JSON.stringify(makeRequest(10, 200))].map((b) =>
    Buffer.from(b),
  );
  let n = 0;
  const event = (body: Buffer, requestId: string) => ({
    httpMethod: 'POST',
    path: '/budget_expense_matcher',
    headers: { 'content-type': 'application/json' },
    body: body.toString('utf8'),
    isBase64Encoded: false,
    requestContext: { requestId },
  });
  const round = async (handler: (e: unknown, c?: object) => Promise<unknown>): Promise<Round> => {
    const latencies: number[] = [];
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) {
      const t = process.hrtime.bigint();
      const requestId = `bench-${n++}`;
      const body = bodies[i % 2] as Buffer;
      received.lend(requestId, body);
      await handler(event(body, requestId), { awsRequestId: requestId });
      received.takeBack(requestId);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e3);
      // A turn of the event loop, as between a server's requests: the journal's timer and I/O run.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await journal.flush(); // the round's rows and captures on disk: their cost is the round's
    const used = process.cpuUsage(cpu);
    return {
      latencies,
      cpuUs: (used.user + used.system) / PER_ROUND,
      wallUs: Number(process.hrtime.bigint() - start) / 1e3 / PER_ROUND,
    };
  };
  for (const mode of MODES) await round(handlers[mode]); // warm up (model load, JIT)
  const capturedBefore = journal.journaledCaptures;
  const load = [loadavg()[0] as number];
  const rounds: Record<Mode, Round[]> = { off: [], on: [], offAgain: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // The order turns each round, so no mode always runs first (after a pause) or last.
    for (let k = 0; k < MODES.length; k++) {
      const mode = MODES[(r + k) % MODES.length] as Mode;
      rounds[mode].push(await round(handlers[mode]));
    }
    load.push(loadavg()[0] as number);
  }
  const captured = journal.journaledCaptures - capturedBefore;
  await writer.close();
  await rm(dir, { recursive: true, force: true });

  const median = (xs: readonly number[]) => quantile(xs, 0.5);
  const us = (x: number) => Math.round(x);
  // Paired by round (the same round ran every mode, close in time), so slow spells cancel out.
  const paired = (pick: (r: Round) => number, a: Mode, b: Mode) =>
    rounds[a].map((round, i) => pick(round) - pick(rounds[b][i] as Round));
  const measure = (pick: (r: Round) => number) => {
    const effect = paired(pick, 'on', 'off');
    const noise = paired(pick, 'offAgain', 'off');
    const noiseBand = [quantile(noise, 0.1), quantile(noise, 0.9)] as const;
    const effectMedian = median(effect);
    return {
      off: us(median(rounds.off.map(pick))),
      on: us(median(rounds.on.map(pick))),
      off_again: us(median(rounds.offAgain.map(pick))),
      on_minus_off: us(effectMedian),
      noise_off_again_minus_off: us(median(noise)),
      noise_band_p10_p90: noiseBand.map(us),
      within_noise: effectMedian >= noiseBand[0] && effectMedian <= noiseBand[1],
    };
  };
  const allLatencies = (mode: Mode) => rounds[mode].flatMap((r) => r.latencies);
  const reply = {
    p50: measure((r) => quantile(r.latencies, 0.5)),
    p99_all_rounds: Object.fromEntries(
      MODES.map((mode) => [mode, us(quantile(allLatencies(mode), 0.99))]),
    ) as Record<Mode, number>,
  };
  const result = {
    rounds: ROUNDS,
    requests_per_round: PER_ROUND,
    requests: 'API Gateway events, the seed request (1 × 1) and a 10 × 200 request alternating',
    reply_latency_p50_us: reply.p50,
    reply_latency_p99_us: reply.p99_all_rounds,
    cpu_us_per_reply: measure((r) => r.cpuUs),
    wall_us_per_reply_with_fsync_wait: measure((r) => r.wallUs),
    captures_written: captured,
    captures_expected: ROUNDS * PER_ROUND,
    load_average_1m: { min: Math.min(...load), max: Math.max(...load) },
  };
  const row = (label: string, m: ReturnType<typeof measure>) => [
    label,
    m.off,
    m.on,
    m.off_again,
    m.on_minus_off,
    `${m.noise_band_p10_p90[0]} … ${m.noise_band_p10_p90[1]}`,
    m.within_noise ? 'yes' : 'no',
  ];
  const path = writeFigures('capture', {
    command: 'npm run bench:capture',
    figures: result,
    tables: [
      {
        id: 'reply',
        title: `What capture adds per reply (µs; medians of ${ROUNDS} rounds of ${PER_ROUND} requests, seed and 10 × 200 alternating, results journaled; the modes' order turns each round); 1-minute load average ${result.load_average_1m.min.toFixed(1)}–${result.load_average_1m.max.toFixed(1)}; ${captured} of ${result.captures_expected} captures journaled`,
        columns: [
          'measure',
          'capture off',
          'capture on',
          'capture off again',
          'on − off (median of rounds)',
          'noise: off again − off (p10 … p90 of rounds)',
          'within noise',
        ],
        rows: [
          row('reply latency p50 (the handler call)', result.reply_latency_p50_us),
          row('process CPU per reply (journal work included)', result.cpu_us_per_reply),
          row('wall time per reply, waiting for write + fsync', result.wall_us_per_reply_with_fsync_wait),
        ],
      },
    ],
    notes: [
      `Reply latency p99 over all rounds (µs): off ${reply.p99_all_rounds.off}, on ${reply.p99_all_rounds.on}, off again ${reply.p99_all_rounds.offAgain}.`,
      'Reply latency is what a caller waits for: the capture is handed to the journal, not written, before the reply. Process CPU counts every thread of the process (the journal serialising, encoding and writing a window after its replies). The wall time also waits, at each round’s end, for the write and fsync of the round’s rows and captures, which a server does not wait for before replying: it shows the disk’s share.',
    ],
  });
  const line = (label: string, m: ReturnType<typeof measure>) =>
    `  ${label}: off ${m.off}, on ${m.on}, off again ${m.off_again}; on − off ${m.on_minus_off} (noise p10…p90 ${m.noise_band_p10_p90.join(' … ')}): ${m.within_noise ? 'within noise' : 'OUTSIDE noise'}`;
  console.log(
    `per reply (µs), medians of ${ROUNDS} rounds × ${PER_ROUND} requests; captures journaled ${captured} of ${result.captures_expected}\n` +
      `${line('reply latency p50', result.reply_latency_p50_us)}\n` +
      `${line('process CPU', result.cpu_us_per_reply)}\n` +
      `${line('wall incl. fsync wait', result.wall_us_per_reply_with_fsync_wait)}\n` +
      `written to ${path}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
