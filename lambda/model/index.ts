export * from './backend';
export * from './current-model';
export * from './load-model';
export * from './manifest';
