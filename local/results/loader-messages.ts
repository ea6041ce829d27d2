import type { LoaderStatus } from './results-loader';

/**
 * What the server tells the loader process: new lines are on disk; whether to load now (the
 * server defers loading while it is busy); stop.
 */
export type ServerMessage =
  | { readonly type: 'appended' }
  | { readonly type: 'load'; readonly allowed: boolean }
  | { readonly type: 'stop' };

/**
 * What the loader process tells the server: its status; `ready` once its database is open (and,
 * for PGlite, served on its socket); `stopped`.
 */
export type LoaderMessage =
  | { readonly type: 'status'; readonly status: LoaderStatus }
  | { readonly type: 'ready' }
  | { readonly type: 'stopped' };
