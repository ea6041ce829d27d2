import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Scratch directories for one test file or `describe` block; see {@link useScratch}. */
export interface Scratch {
  /** A new empty directory `<os temp dir>/<prefix>-XXXXXX`, removed with the others. */
  dir(prefix: string): string;
  /** Removes `path` (a directory a helper made, e.g. `artifactVersion`'s) with the others; returns it. */
  track(path: string): string;
}

/**
 * Scratch directories under the OS temp directory, all removed after the tests of the block that
 * called it (Jest's `afterAll`). Call it at the top of a file or a `describe`; `dir` works at any
 * time after that, while the tests are collected or inside them.
 *
 * @example
 * const scratch = useScratch();
 * let dir = '';
 * beforeAll(() => {
 *   dir = scratch.dir('journal');
 * });
 */
export function useScratch(): Scratch {
  const made: string[] = [];
  afterAll(() => {
    for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
  });
  const track = (path: string) => {
    made.push(path);
    return path;
  };
  return { dir: (prefix) => track(mkdtempSync(join(tmpdir(), `${prefix}-`))), track };
}
