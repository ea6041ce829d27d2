export * from './match-request';
export * from './score-not-finite';
export * from './score-request';
export * from './write-reply';
