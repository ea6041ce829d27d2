export * from './match-request';
export * from './score-request';
