export type { Database, Queryable } from './database';
export { type Migration, migrate, migrationsDir, readMigrations } from './migrate';
export { type DatabaseLocation, openDatabase } from './open-database';
export {
  localSocketPath,
  openResultsDatabase,
  type ResultsDatabaseSource,
  resultsDatabaseSource,
} from './results-database';
