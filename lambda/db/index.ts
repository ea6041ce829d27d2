export type { Database, Queryable } from './database';
export { type DeployedDatabaseOptions, deployedDatabase } from './deployed-database';
export { isDataError } from './is-data-error';
export { type Migration, migrate, readMigrations } from './migrate';
export {
  type DatabaseLocation,
  openDatabase,
  openPglite,
  type PgliteDatabase,
  type PgliteOptions,
} from './open-database';
export {
  describeResultsDatabase,
  localSocketPath,
  openResultsDatabase,
} from './results-database';
