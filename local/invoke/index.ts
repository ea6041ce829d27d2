export * from './capture-logs';
export * from './invocation-log';
export * from './invoke-api';
export * from './invoke-api-config';
export * from './invoke-api-error';
export * from './invoke-function';
export * from './lambda-context';
export * from './resolve-function';
