import { join } from 'node:path';
import { type RunningLocalServer, startLocalServer } from '../../local/start-local-server';
import { useScratch } from './scratch';
import { useFixture } from './use-fixture';

/** `npm start` in this process for one block's tests; see {@link useLocalServer}. */
export interface LocalServerFixture {
  /** Its scratch directory, removed after the block. */
  readonly dir: string;
  /** Its results database (PGlite), `<dir>/results`; the journal is beside it, in `<dir>/results-journal`. */
  readonly resultsDir: string;
  /** Where it captures requests, `<dir>/captures`. */
  readonly captureDir: string;
  /** The running server: `url`, `results`, `capture`, ... */
  readonly running: RunningLocalServer;
}

/**
 * Starts the local server (`npm start`'s {@link startLocalServer}) in `beforeAll` on a free port,
 * with everything it writes (results database, journal, captures) in a scratch directory, and
 * closes it and removes the directory in `afterAll`. `env` adds to or overrides those settings.
 * Call it at the top of a file or a `describe`; read the fixture inside tests and hooks.
 *
 * @example
 * const local = useLocalServer({ CAPTURE: 'off' });
 * it('answers /health', async () => {
 *   expect((await fetch(`${local.running.url}/health`)).status).toBe(200);
 * });
 */
export function useLocalServer(env: Record<string, string> = {}): LocalServerFixture {
  // Added first, so the server closes before its directory goes (Jest runs afterAll hooks in order).
  const fixture = useFixture(
    'useLocalServer',
    async (): Promise<LocalServerFixture> => {
      const dir = scratch.dir('local-server');
      const resultsDir = join(dir, 'results');
      const captureDir = join(dir, 'captures');
      const running = await startLocalServer({
        PORT: '0',
        RESULTS_DB_DIR: resultsDir,
        CAPTURE_DIR: captureDir,
        ...env,
      });
      return { dir, resultsDir, captureDir, running };
    },
    (started) => started.running.close(),
  );
  const scratch = useScratch();
  return fixture;
}
