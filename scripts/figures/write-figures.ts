import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { FiguresFile, FiguresInput, Machine } from './figures-file';

/** Where commands write their figures (ignored by git). */
export const FIGURES_DIR = resolve(__dirname, '..', '..', '.data', 'figures');

/** The machine a figure was measured on, as a figures file records it. */
export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() || 'unknown',
    cores: cores.length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${process.arch}`,
  };
}

/**
 * Writes `<dir>/<name>.json` (default `.data/figures/`): what a command measured, stamped with
 * the date, the machine and the Node version, in the format `npm run docs:figures` renders into
 * the docs (see `figures-file.ts`). Returns the path written.
 *
 *     writeFigures('bench', {
 *       command: 'npm run bench',
 *       figures: report,                       // anything JSON: the raw numbers, for machines
 *       tables: [{ id: 'seed', columns: ['backend', 'p50 ms'], rows: [['wasm', 0.068]] }],
 *       notes: ['compare rows of one run with each other'],
 *     });
 */
export function writeFigures(name: string, input: FiguresInput, dir: string = FIGURES_DIR): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`figures name "${name}": use a-z, 0-9 and -`);
  const file: FiguresFile = {
    name,
    command: input.command,
    date: new Date().toISOString(),
    machine: describeMachine(),
    node: process.version,
    figures: input.figures ?? {},
    tables: input.tables ?? [],
    ...(input.notes === undefined ? {} : { notes: input.notes }),
  };
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}
