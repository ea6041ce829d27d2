export * from './parse-request';
export * from './request';
export * from './response';
export { parseTimestamp } from './values';
