import { openPglite } from '../../lambda/db';

/**
 * Makes a new PGlite data directory (initdb, or the `PGLITE_TEMPLATE` tarball) in a process of
 * its own, started by the results loader (`loader-main.ts`) when its directory is new, never by
 * hand: `node --import tsx pglite-init-main.ts <dir>`. PGlite's WebAssembly memory only grows,
 * and initdb takes it to about 840 MB; a PGlite that then opens the made directory stays near
 * 230 MB (measured on this project's machine), so the loader, which lives as long as the server,
 * never carries initdb's high-water mark.
 */
async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: pglite-init-main.ts <data directory>');
  const db = await openPglite({ pgliteDir: dir });
  await db.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`PGlite initdb failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
