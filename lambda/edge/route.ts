import { MethodNotAllowedError, RouteNotFoundError } from '../errors';
import type { HttpInput } from './read-event';

/** The HTTP routes the service answers; the matcher path is the one the original clients call. */
export const ROUTES = {
  match: { method: 'POST', path: '/budget_expense_matcher' },
  health: { method: 'GET', path: '/health' },
  /** Labels: which scored pairs really match (`lambda/feedback/`). */
  feedback: { method: 'POST', path: '/feedback' },
} as const;

export type RouteName = keyof typeof ROUTES;

// Read once, not a list a request; a path that is exactly a route's needs no cleaning.
const ROUTE_ENTRIES = Object.entries(ROUTES) as [RouteName, (typeof ROUTES)[RouteName]][];
const ROUTE_PATHS = new Set<string>(Object.values(ROUTES).map((route) => route.path));

/**
 * Finds the route of an HTTP request. Paths are matched by their end, so a stage prefix
 * (`/prod/health`) or a custom-domain base path still reaches the route.
 * @throws RouteNotFoundError (404) or MethodNotAllowedError (405)
 */
export function routeOf(input: Pick<HttpInput, 'method' | 'path'>): RouteName {
  // `//budget_expense_matcher/` and `/budget_expense_matcher` are the same resource.
  const path = ROUTE_PATHS.has(input.path)
    ? input.path
    : input.path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  for (const [name, route] of ROUTE_ENTRIES) {
    if (path !== route.path && !path.endsWith(route.path)) continue;
    if (input.method.toUpperCase() === route.method) return name;
    throw new MethodNotAllowedError(
      'method_not_allowed',
      `${input.method} is not allowed on ${route.path}; use ${route.method}`,
      'method',
    );
  }
  throw new RouteNotFoundError(
    'not_found',
    `no route for ${input.method} ${input.path}; the service answers ${Object.values(ROUTES)
      .map((r) => `${r.method} ${r.path}`)
      .join(', ')}`,
    'path',
  );
}
