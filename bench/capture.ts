/**
 * `npm run bench:capture`: what capturing requests adds to a reply on the local server's path.
 * The predict handler (the one Lambda and `npm start` run) answers API Gateway events carrying the
 * seed request and a 10 × 200 request, alternating, with its results going to a real results
 * journal (`JournalSink` on disk, as `npm start` records them), and capture off, or on (every
 * request into the same journal, `JournalCaptureSink`). The event loop turns between requests,
 * so the journal's cuts (serialising rows and captures, the write and fsync) run inside the
 * measured time, as they do on a busy server. Rounds alternate off / on / off again, so the
 * off-vs-off difference, measured in the same run, is the noise the on-vs-off difference is
 * compared with. Writes `.data/figures/capture.json` (`writeFigures`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { type CaptureSink, discardingCaptureSink } from '../lambda/captures';
import { readConfig } from '../lambda/config';
import { createPredictHandler } from '../lambda/predict';
import { JournalCaptureSink } from '../local/results/journal-capture-sink';
import { JournalSink } from '../local/results/journal-sink';
import { JournalWriter } from '../local/results/journal-writer';
import { writeFigures } from '../scripts/figures/write-figures';
import { loadEvent } from '../test/helpers/events';
import { makeRequest } from './make-request';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 15);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND || 40);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-capture-'));
  const logger = new Logger({ logLevel: 'SILENT' });
  const config = readConfig({ ...process.env });
  const writer = await JournalWriter.open({ dir, maxBytes: 64 * 1024 ** 3 });
  const journal = new JournalSink({ writer, flushMs: 100, logger });
  const handlerWith = (capture: CaptureSink) =>
    createPredictHandler({ config, sink: journal, logger, capture });
  const handlers = {
    off: handlerWith(discardingCaptureSink),
    on: handlerWith(new JournalCaptureSink(journal, 1)),
    offAgain: handlerWith(discardingCaptureSink),
  };
  const bodies = [JSON.stringify(loadEvent('seed-request')), JSON.stringify(makeRequest(10, 200))];
  let n = 0;
  const event = (body: string) => ({
    httpMethod: 'POST',
    path: '/budget_expense_matcher',
    headers: { 'content-type': 'application/json' },
    body,
    isBase64Encoded: false,
    requestContext: { requestId: `bench-${n}` },
  });
  const round = async (handler: (e: unknown, c?: object) => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) {
      await handler(event(bodies[i % 2] as string), { awsRequestId: `bench-${n++}` });
      // A turn of the event loop, as between a server's requests: the journal's timer and I/O run.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await journal.flush(); // the round's rows and captures on disk: their cost is the round's
    return Number(process.hrtime.bigint() - start) / 1e3 / PER_ROUND;
  };
  for (const h of Object.values(handlers)) await round(h); // warm up (model load, JIT)
  const capturedBefore = journal.journaledCaptures;
  const load = [loadavg()[0] as number];
  const times: Record<keyof typeof handlers, number[]> = { off: [], on: [], offAgain: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const key of ['off', 'on', 'offAgain'] as const) times[key].push(await round(handlers[key]));
    load.push(loadavg()[0] as number);
  }
  const captured = journal.journaledCaptures - capturedBefore;
  await writer.close();
  await rm(dir, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
  const us = (x: number) => Math.round(x);
  const result = {
    rounds: ROUNDS,
    requests_per_round: PER_ROUND,
    requests: 'API Gateway events, the seed request (1 × 1) and a 10 × 200 request alternating',
    median_us_per_reply: {
      off: us(median(times.off)),
      on: us(median(times.on)),
      off_again: us(median(times.offAgain)),
    },
    on_minus_off_us: us(median(times.on) - median(times.off)),
    noise_off_again_minus_off_us: us(median(times.offAgain) - median(times.off)),
    captures_written: captured,
    captures_expected: ROUNDS * PER_ROUND,
    load_average_1m: { min: Math.min(...load), max: Math.max(...load) },
  };
  const path = writeFigures('capture', {
    command: 'npm run bench:capture',
    figures: result,
    tables: [
      {
        id: 'reply',
        title: `Time per reply (µs, median of ${ROUNDS} rounds of ${PER_ROUND} requests, seed and 10 × 200 alternating), results journaled; 1-minute load average ${result.load_average_1m.min.toFixed(1)}–${result.load_average_1m.max.toFixed(1)}`,
        columns: [
          'capture off',
          'capture on',
          'capture off again',
          'on − off',
          'noise (off again − off)',
          'captures journaled',
        ],
        rows: [
          [
            result.median_us_per_reply.off,
            result.median_us_per_reply.on,
            result.median_us_per_reply.off_again,
            result.on_minus_off_us,
            result.noise_off_again_minus_off_us,
            `${captured} of ${result.captures_expected}`,
          ],
        ],
      },
    ],
    notes: [
      'Each reply includes its share of the journal work (rows and captures serialised, written and fsynced by the sink), since the round waits for the journal at its end.',
    ],
  });
  console.log(
    `time per reply, median of ${ROUNDS} rounds × ${PER_ROUND} requests (µs): capture off ${result.median_us_per_reply.off}, on ${result.median_us_per_reply.on}, off again ${result.median_us_per_reply.off_again}\n` +
      `  on − off ${result.on_minus_off_us} µs; noise (off again − off) ${result.noise_off_again_minus_off_us} µs; captures journaled ${captured} of ${result.captures_expected}\n` +
      `written to ${path}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
