export * from './compression';
export * from './read-event';
export * from './replies';
export * from './route';
