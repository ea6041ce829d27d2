import { resultsDatabaseSource } from '../lambda/config';
import { describeResultsDatabase, openResultsDatabase } from '../lambda/db';
import { runDbMigrate } from './results-cli/run-db-migrate';

/**
 * `npm run db:migrate`: applies the results database's migrations (`db/migrations/*.sql`) to the
 * database the environment names: `DATABASE_URL`, or PGlite in `RESULTS_DB_DIR` (default
 * `.data/results`; through the socket of a running `npm start`).
 */
const source = resultsDatabaseSource();
runDbMigrate({
  out: (line) => console.log(line),
  openDatabase: () => openResultsDatabase(source, { migrate: false }),
  describe: (db) => describeResultsDatabase(source, db),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
