import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type ResultsDatabaseSource, resultsDatabaseSource } from '../lambda/config';
import { openResultsDatabase } from '../lambda/db';
import { buildReport, parseReportOptions, REPORT_USAGE } from '../report';

/**
 * `npm run report`: prints the recent days' precision and recall per model version and writes a
 * self-contained HTML report with charts. Reads the database the service writes (see
 * `openResultsDatabase`), through the local server's socket while `npm start` runs.
 */
async function main(): Promise<void> {
  const options = parseReportOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(REPORT_USAGE);
    return;
  }
  const source = resultsDatabaseSource();
  const db = await openResultsDatabase(source);
  try {
    const report = await buildReport(db, options, { source: describe(source) });
    console.log(report.text);
    const out = resolve(options.out);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, report.html);
    console.log(`\nHTML report: ${out}`);
  } finally {
    await db.close();
  }
}

/** Where the figures come from, without credentials. */
function describe(source: ResultsDatabaseSource): string {
  switch (source.kind) {
    case 'pglite':
      return `the embedded database in ${source.dir}`;
    case 'secret':
      return `the database of secret ${source.secretArn}`;
    case 'url': {
      const url = new URL(source.url);
      return `PostgreSQL at ${url.host}${url.pathname}`;
    }
  }
}

main().catch((error: unknown) => {
  console.error(`report: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
