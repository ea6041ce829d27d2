/**
 * `npm run bench:capture`: what capturing requests adds to a reply. The predict handler (the one
 * Lambda and `npm start` run) answers the seed request through direct invoke, with results recorded
 * to memory, and capture off, or on (every request written to a temporary capture folder). Rounds
 * alternate off / on / off again, so the off-vs-off difference, measured in the same run, is the
 * noise the on-vs-off difference must be compared with. Writes `.data/bench/capture.json`.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { type CaptureSink, DirectoryCaptureSink, discardingCaptureSink } from '../lambda/captures';
import { readConfig } from '../lambda/config';
import { createPredictHandler } from '../lambda/predict';
import { MemorySink } from '../lambda/results';
import { loadRequest } from '../test/helpers/events';

const ROUNDS = 15;
const PER_ROUND = 200;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-capture-'));
  const logger = new Logger({ logLevel: 'SILENT' });
  const config = readConfig({ ...process.env });
  const on = new DirectoryCaptureSink({ dir });
  const handlerWith = (capture: CaptureSink) =>
    createPredictHandler({ config, sink: new MemorySink(), logger, capture });
  const handlers = {
    off: handlerWith(discardingCaptureSink),
    on: handlerWith(on),
    offAgain: handlerWith(discardingCaptureSink),
  };
  const request = loadRequest('seed-request');
  let n = 0;
  const round = async (handler: (e: unknown, c?: object) => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++)
      await handler(structuredClone(request), { awsRequestId: `bench-${n++}` });
    return Number(process.hrtime.bigint() - start) / 1e3 / PER_ROUND;
  };
  for (const h of Object.values(handlers)) await round(h); // warm up (model load, JIT)
  const times: Record<keyof typeof handlers, number[]> = { off: [], on: [], offAgain: [] };
  for (let r = 0; r < ROUNDS; r++)
    for (const key of ['off', 'on', 'offAgain'] as const) times[key].push(await round(handlers[key]));
  await on.flush();
  const days = await readdir(dir);
  const files = (await Promise.all(days.map((d) => readdir(join(dir, d))))).flat().length;
  await rm(dir, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
  const result = {
    date: new Date().toISOString(),
    machine: `${hostname()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    node: process.version,
    rounds: ROUNDS,
    requestsPerRound: PER_ROUND,
    medianMicrosecondsPerReply: {
      off: median(times.off),
      on: median(times.on),
      offAgain: median(times.offAgain),
    },
    onMinusOff: median(times.on) - median(times.off),
    noiseOffAgainMinusOff: median(times.offAgain) - median(times.off),
    capturesWritten: files,
    capturesExpected: (ROUNDS + 1) * PER_ROUND,
  };
  console.log(
    `reply time, median of ${ROUNDS} rounds × ${PER_ROUND} direct invokes of the seed request (µs per reply):\n` +
      `  capture off ${result.medianMicrosecondsPerReply.off.toFixed(1)}, on ${result.medianMicrosecondsPerReply.on.toFixed(1)}, off again ${result.medianMicrosecondsPerReply.offAgain.toFixed(1)}\n` +
      `  on − off ${result.onMinusOff.toFixed(1)} µs; noise (off again − off) ${result.noiseOffAgainMinusOff.toFixed(1)} µs\n` +
      `  captures written ${files} of ${result.capturesExpected}`,
  );
  await mkdir('.data/bench', { recursive: true });
  await writeFile('.data/bench/capture.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log('written to .data/bench/capture.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
