import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) read here. */
interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a profile's time went: by the project file it was spent under, and the top functions by self time. */
export interface ProfileSummary {
  readonly total_ms: number;
  /**
   * Milliseconds by the innermost project file on the stack (`lambda/matcher/write-reply.ts`), so
   * time in Node's own code (a `JSON.parse`, a `Buffer.write`) counts for the project code that
   * called it; `(gc)`, `(idle)` and `(outside the project)` otherwise.
   */
  readonly by_file: ReadonlyArray<{ readonly file: string; readonly ms: number; readonly share: number }>;
  /** Functions by their own time, wherever they are. */
  readonly top_functions: ReadonlyArray<{
    readonly name: string;
    readonly ms: number;
    readonly share: number;
  }>;
}

const ROOT = resolve(__dirname, '..');

/**
 * Summarises a `.cpuprofile` file: the time under each project file (innermost project frame on
 * each sample's stack) and the `top` functions by self time. Files outside `under` (default: the
 * project's `lambda/`) count as outside the project.
 */
export function summariseProfile(path: string, { top = 15, under = 'lambda/' } = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const projectFile = (url: string): string | undefined => {
    if (!url) return undefined;
    const file = relative(ROOT, url.startsWith('file:') ? fileURLToPath(url) : url);
    return file.startsWith(under) ? file : undefined;
  };
  const owner = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owner.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const name = node?.callFrame.functionName ?? '';
    let found: string;
    if (name === '(garbage collector)') found = '(gc)';
    else if (name === '(idle)' || name === '(program)') found = '(idle)';
    else {
      const file = node ? projectFile(node.callFrame.url) : undefined;
      const up = parent.get(id);
      found = file ?? (up === undefined ? '(outside the project)' : ownerOf(up));
    }
    owner.set(id, found);
    return found;
  };
  const byFile = new Map<string, number>();
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const file = ownerOf(id);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    const frame = byId.get(id)?.callFrame;
    const where = frame?.url ? ` (${relative(ROOT, frame.url.replace(/^file:\/\//, ''))})` : '';
    const name = `${frame?.functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({
        k,
        ms: Math.round(us / 10) / 100,
        share: Math.round((1000 * us) / total) / 1000,
      }));
  return {
    total_ms: Math.round(total / 1000),
    by_file: rows(byFile).map(({ k, ms, share }) => ({ file: k, ms, share })),
    top_functions: rows(self)
      .slice(0, top)
      .map(({ k, ms, share }) => ({ name: k, ms, share })),
  };
}
