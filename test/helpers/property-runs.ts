import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * How many cases a property test runs: `FC_RUNS` when set, at least 2,000 when `CI` is set,
 * otherwise `local` (a few hundred, so that 8 engineers on 2 cores can run the suite).
 */
export function propertyRuns(local = 200, env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number.parseInt(env.FC_RUNS ?? '', 10);
  if (Number.isFinite(asked) && asked > 0) return asked;
  return env.CI ? Math.max(2000, local) : local;
}

/**
 * fast-check parameters for a property test: its run count, and the seed from `FC_SEED` when set
 * (to replay a failure). fast-check's default reporter puts the seed and the counterexample's
 * path in the failure message (`Property failed after N tests { seed: …, path: "…" }`), so a
 * failing CI run can be replayed with `FC_SEED=<seed> FC_RUNS=<N> npm test -- <file>`.
 */
export function propertyParameters(
  local = 200,
  env: NodeJS.ProcessEnv = process.env,
): { numRuns: number; seed?: number } {
  const seed = Number.parseInt(env.FC_SEED ?? '', 10);
  return {
    numRuns: propertyRuns(local, env),
    ...(Number.isFinite(seed) ? { seed } : {}),
  };
}

/** Where the property tests record how many cases each ran (ignored by git). */
export const RELIABILITY_FIGURES = resolve(__dirname, '..', '..', '.data', 'figures', 'reliability.json');

/**
 * Records, in `.data/figures/reliability.json`, that property `name` passed `runs` cases, with
 * the date, machine and Node version. Test files run in separate workers, so each merges its
 * own entries into what the file already holds.
 */
export function recordPropertyRuns(name: string, runs: number, file: string = RELIABILITY_FIGURES): void {
  let current: { figures?: { properties?: Record<string, unknown> } } = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // first writer, or a torn file from an earlier run: start again
  }
  const cores = cpus();
  const properties = {
    ...(current.figures?.properties ?? {}),
    [name]: { runs, date: new Date().toISOString() },
  };
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        name: 'reliability',
        command: 'npm test -- property (FC_RUNS / CI set the counts)',
        date: new Date().toISOString(),
        machine: {
          cpu: cores[0]?.model.trim() || 'unknown',
          cores: cores.length,
          memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
          os: `${process.platform} ${process.arch}`,
        },
        node: process.version,
        figures: { properties },
      },
      null,
      2,
    )}\n`,
  );
}
