export * from './match-request';
export * from './score-request';
export * from './write-reply';
