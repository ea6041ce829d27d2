import { readFileSync } from 'node:fs';

/**
 * A process's state letter from `/proc/<pid>/stat` (Linux): `T` stopped (a frozen instance), `S`
 * sleeping, `R` running, `Z` a zombie. The field after the command name, which is in parentheses.
 */
export function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.charAt(stat.lastIndexOf(')') + 2);
}
