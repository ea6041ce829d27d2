export { Backoff, type BackoffOptions } from './backoff';
export { waitAtMost } from './wait-at-most';
