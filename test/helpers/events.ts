import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const EVENTS_DIR = join(__dirname, '..', '..', 'events');

/** Names of every sample event in `events/` (file names without `.json`). */
export const EVENT_NAMES = readdirSync(EVENTS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));

/**
 * Loads a sample event from `events/` as a fresh deep copy, so a test may change it freely.
 * @example const event = loadEvent<APIGatewayProxyEvent>('api-gateway-seed');
 */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8')) as T;
}

/** A sample request (direct invoke payload) with both lists typed for editing in tests. */
export interface SampleRequest {
  budgets: Record<string, unknown>[];
  all_user_expense_lineitems: Record<string, unknown>[];
}

/** Loads a sample request; see {@link loadEvent}. */
export function loadRequest(name: string): SampleRequest {
  return loadEvent<SampleRequest>(name);
}
