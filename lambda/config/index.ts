export { BACKEND_PREFERENCE, type BackendName, parseBackendList } from './backend-names';
export { type Config, type ModelConfig, readConfig } from './read-config';
