import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Runs once before the test files: makes (once per machine and PGlite version) a freshly
 * initialised PGlite data directory as a tarball and names it in `PGLITE_TEMPLATE`, which the
 * workers inherit. Every PGlite database the tests open (in process or in the CLIs they start)
 * then loads it instead of running initdb again, seconds of CPU each.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.PGLITE_TEMPLATE) return;
  const { PGlite } = await import('@electric-sql/pglite');
  const manifest = resolve(__dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const path = join(tmpdir(), `pglite-${version}-initdb.tar.gz`);
  if (!existsSync(path)) {
    const db = await PGlite.create();
    const tarball = await db.dumpDataDir('gzip');
    await db.close();
    const partial = `${path}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
    renameSync(partial, path);
  }
  process.env.PGLITE_TEMPLATE = path;
}
