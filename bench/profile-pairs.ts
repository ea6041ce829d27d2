import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { handler } from '../lambda/predict';
import { loadEvent } from '../test/helpers/events';
import { summariseProfile } from './cpu-profile';
import { makeRequest } from './make-request';

/**
 * The 20,000-pair request (10 × 2,000, API Gateway event) through the predict handler, over and
 * over, alone in its process, under V8's CPU profiler (what `node --cpu-prof` runs) from the end
 * of the warm-up to the last call: where that request's time goes. Writes the profile to the
 * path given as the first argument (open it in Chrome's DevTools) and prints one JSON line: the
 * mean time a call and the summary (`bench/cpu-profile.ts`).
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: profile-pairs.ts <file.cpuprofile>');
  const event = { ...loadEvent('api-gateway-seed'), body: JSON.stringify(makeRequest(10, 2000)) };
  const calls = Math.max(20, Math.round(150 * Number(process.env.BENCH_SCALE || 1)));
  for (let i = 0; i < 20; i++) await handler(event);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const started = performance.now();
  for (let i = 0; i < calls; i++) await handler(event);
  const meanMs = (performance.now() - started) / calls;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(out, JSON.stringify(profile));
  console.log(JSON.stringify({ calls, mean_ms: meanMs, ...summariseProfile(out) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
