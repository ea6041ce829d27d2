import type { LoaderStatus } from './results-loader';

/** What the server tells the loader process. */
export type ServerMessage = { readonly type: 'appended' } | { readonly type: 'stop' };

/** What the loader process tells the server. */
export type LoaderMessage =
  | { readonly type: 'status'; readonly status: LoaderStatus }
  | { readonly type: 'stopped' };
