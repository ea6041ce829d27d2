export {
  BACKEND_PREFERENCE,
  type BackendName,
  parseBackendList,
  parseScoringEngine,
  SCORING_ENGINES,
  type ScoringEngine,
} from './backend-names';
export { type CaptureConfig, readCaptureConfig } from './capture-config';
export {
  type DatabaseConfig,
  migrationsDir,
  type ResultsDatabaseSource,
  readDatabaseConfig,
  resultsDatabaseSource,
} from './database-config';
export { type Config, type ModelConfig, readConfig } from './read-config';
export { type ResultsConfig, readResultsConfig } from './results-config';
export { readServiceConfig, SERVICE_NAME, type ServiceConfig } from './service-config';
