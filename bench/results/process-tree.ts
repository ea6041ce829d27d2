import { readdirSync, readFileSync } from 'node:fs';

/** One process of a tree: its id, a short name from its command line, and its RSS in bytes. */
export interface ProcessRss {
  readonly pid: number;
  readonly name: string;
  readonly bytes: number;
}

/** Every process at or below `pid` (Linux `/proc`) with its RSS; empty when it is gone. */
export function treeProcesses(pid: number): ProcessRss[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: ProcessRss[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop() as number;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      out.push({ pid: p, name: nameOf(p, pid), bytes: Number(match?.[1] ?? 0) * 1024 });
    } catch {
      // gone meanwhile
    }
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** RSS in bytes of `pid` and every process below it; 0 when it is gone. */
export function treeRss(pid: number): number {
  return treeProcesses(pid).reduce((sum, p) => sum + p.bytes, 0);
}

/**
 * Samples the tree every `everyMs` until stopped; returns the peak of the summed RSS, and each
 * process's own peak (largest first).
 */
export function samplePeakRss(
  pid: number,
  everyMs = 200,
): { stop(): { total: number; byProcess: ProcessRss[] } } {
  let total = 0;
  const peaks = new Map<number, ProcessRss>();
  const sample = () => {
    const processes = treeProcesses(pid);
    total = Math.max(
      total,
      processes.reduce((sum, p) => sum + p.bytes, 0),
    );
    for (const p of processes) if ((peaks.get(p.pid)?.bytes ?? 0) < p.bytes) peaks.set(p.pid, p);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { total, byProcess: [...peaks.values()].sort((a, b) => b.bytes - a.bytes) };
    },
  };
}

function nameOf(pid: number, root: number): string {
  if (pid === root) return 'server';
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    if (command.includes('loader-main')) return 'loader';
    if (command.includes('esbuild')) return 'esbuild (tsx)';
    return command.split(' ')[0]?.split('/').at(-1) ?? String(pid);
  } catch {
    return String(pid);
  }
}
