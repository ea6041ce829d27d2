import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Contributor } from './size-limits';

/** Every file under `dir` with its size, paths relative to `dir` with `/` separators. */
export function listFiles(dir: string): Contributor[] {
  const out: Contributor[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out.push({ path, bytes: lstatSync(join(dir, path)).size });
    }
  };
  walk('');
  return out;
}

/**
 * The largest contributors among `files`, grouped by npm package where a file lies under a
 * `node_modules` folder (so the report says "@tensorflow/tfjs-core", not one of its files) and
 * by file otherwise. Biggest first, at most `top`.
 */
export function biggestContributors(files: readonly Contributor[], top = 5): Contributor[] {
  const groups = new Map<string, number>();
  for (const { path, bytes } of files) {
    const key = packageOf(path) ?? path;
    groups.set(key, (groups.get(key) ?? 0) + bytes);
  }
  return [...groups]
    .map(([path, bytes]) => ({ path, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
    .slice(0, top);
}

function packageOf(path: string): string | undefined {
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const name = parts[at + 1]?.startsWith('@') ? parts.slice(at + 1, at + 3) : parts.slice(at + 1, at + 2);
  return [...parts.slice(0, at + 1), ...name].join('/');
}
