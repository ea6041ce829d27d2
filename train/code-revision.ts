import { execFileSync } from 'node:child_process';

/**
 * The commit the training code is at, `git rev-parse --short HEAD`, with `-dirty` when the
 * working tree has changes (the artifact may then not be reproducible from the commit alone);
 * `unknown` outside a git checkout or without git.
 */
export function codeRevision(cwd: string = process.cwd()): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    // --no-optional-locks: only look; never refresh the index of the checkout we describe.
    const dirty = git('--no-optional-locks', 'status', '--porcelain') !== '';
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}
