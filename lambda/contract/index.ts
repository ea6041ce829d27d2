export * from './parse-request';
export { readJsonBody } from './read-json-body';
export { type IdProblem, readAmount, readId, readText, TimestampReader } from './read-values';
export * from './request';
export * from './response';
export { parseTimestamp } from './values';
