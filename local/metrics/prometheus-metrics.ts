import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ROUTES } from '../../lambda/edge/route';
import { PREDICT_METRICS, type PredictMetricName, type ServiceMetrics } from '../../lambda/metrics';

/**
 * The Prometheus name of each counter the predict function publishes as EMF in AWS: the same
 * counters, scraped locally. A `Record` over every EMF name, so a new EMF counter does not
 * type-check until it has its Prometheus twin.
 */
export const PROMETHEUS_COUNTERS: Record<
  PredictMetricName,
  { readonly name: string; readonly help: string }
> = {
  [PREDICT_METRICS.pairsScored]: {
    name: 'matcher_pairs_scored_total',
    help: 'Budget × line item pairs scored (EMF PairsScored)',
  },
  [PREDICT_METRICS.itemErrors]: {
    name: 'matcher_item_errors_total',
    help: 'Reply entries carrying an error instead of a score (EMF ItemErrors)',
  },
  [PREDICT_METRICS.scoresNotFinite]: {
    name: 'matcher_scores_not_finite_total',
    help: 'Pairs whose score was not finite, answered with error score_not_finite (EMF ScoresNotFinite)',
  },
  [PREDICT_METRICS.rowsHeld]: {
    name: 'matcher_result_rows_held_total',
    help: 'Result rows still held when an invocation returned, sent at the next one (EMF ResultRowsHeld)',
  },
  [PREDICT_METRICS.rowsDropped]: {
    name: 'matcher_result_rows_dropped_total',
    help: 'Result rows dropped because the results buffer was full (EMF ResultRowsDropped)',
  },
};

/** Where `/metrics` reads the results backlog: rows handed to the sink and not yet written. */
export type BacklogSource = () => number | undefined;

/** What the local server needs to count requests and serve the scrape. */
export interface RequestMetrics {
  /** Whether the request is a scrape (`GET /metrics`). */
  serves(req: IncomingMessage): boolean;
  /** Answers a scrape in the Prometheus text format. */
  serve(res: ServerResponse): Promise<void>;
  /** Starts timing a request; counted by route and status when its reply has been sent. */
  observe(req: IncomingMessage, res: ServerResponse): void;
}

/** The local server's metrics: the predict handler's counters and the HTTP requests, one registry. */
export interface PrometheusMetrics extends ServiceMetrics, RequestMetrics {
  readonly registry: Registry;
}

const INVOKE_PREFIX = '/2015-03-31/functions/';

/**
 * The route label of a request: one of the service's routes, `/metrics`, the Invoke API, or
 * `other`, never the raw path (a scanner's random paths would make a series each).
 */
export function routeLabel(req: Pick<IncomingMessage, 'url'>): string {
  const url = req.url ?? '/';
  // The usual request names its route exactly: no parsing.
  const exact = EXACT_ROUTE_LABELS.get(url);
  if (exact !== undefined) return exact;
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '').split('?')[0] ?? '/';
  if (path.startsWith(INVOKE_PREFIX)) return 'invoke';
  const clean = path.replace(/\/{2,}/g, '/').replace(/\/+$/, '') || '/';
  if (clean === '/metrics') return '/metrics';
  for (const route of Object.values(ROUTES)) if (clean.endsWith(route.path)) return route.path;
  return 'other';
}

const EXACT_ROUTE_LABELS = new Map<string, string>([
  ...Object.values(ROUTES).map((route): [string, string] => [route.path, route.path]),
  ['/metrics', '/metrics'],
]);

/** When a request arrived (`performance.now()`), kept on its response for the shared 'finish' listener. */
const STARTED = Symbol('matcher.startedAt');
type TimedResponse = ServerResponse & { [STARTED]?: number };

/**
 * Prometheus metrics for `npm start`, with prom-client (the maintained Node client):
 *
 * - `matcher_http_requests_total` and `matcher_http_request_duration_seconds` (histogram) by
 *   route, method and status;
 * - the predict function's EMF counters ({@link PROMETHEUS_COUNTERS}) by `model_version` (the
 *   live version that scored; dropped rows have none);
 * - `matcher_model_info{model_version}` = 1 for the version that scored last;
 * - `matcher_results_backlog`: rows handed to the results sink and not yet written;
 * - prom-client's process metrics (CPU, memory, event-loop lag), prefixed `matcher_`.
 *
 * `inner` still gets every count (the debug log the local server already keeps).
 */
export function createPrometheusMetrics(
  options: { readonly backlog?: BacklogSource; readonly inner?: ServiceMetrics } = {},
): PrometheusMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'matcher_http_requests_total',
    help: 'HTTP requests answered, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'matcher_http_request_duration_seconds',
    help: 'Time from the request arriving to its reply being sent, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    // From a health check (sub-millisecond) to a large batch (seconds).
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const counters = Object.fromEntries(
    (Object.keys(PROMETHEUS_COUNTERS) as PredictMetricName[]).map((key) => [
      key,
      new Counter({
        name: PROMETHEUS_COUNTERS[key].name,
        help: PROMETHEUS_COUNTERS[key].help,
        labelNames: ['model_version'] as const,
        registers: [registry],
      }),
    ]),
  ) as Record<PredictMetricName, Counter<'model_version'>>;
  const modelInfo = new Gauge({
    name: 'matcher_model_info',
    help: 'The model version that scored last (value 1)',
    labelNames: ['model_version'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'matcher_results_backlog',
    help: 'Result rows and labels handed to the results sink and not yet written',
    registers: [registry],
    collect() {
      const rows = options.backlog?.();
      if (rows !== undefined) this.set(rows);
    },
  });
  // One labels object per series (route, method, status) and per model version, made once: the
  // request path allocates nothing for its metrics but the series key.
  const seriesLabels = new Map<string, { route: string; method: string; status: string }>();
  const versionLabels = new Map<string, { model_version: string }>();
  const NO_LABELS = {};
  // Shared by every response (no closure a request); `this` is the response that was sent.
  function finished(this: TimedResponse): void {
    const seconds = (performance.now() - (this[STARTED] ?? performance.now())) / 1000;
    const route = routeLabel(this.req);
    const method = this.req.method ?? 'GET';
    const key = `${route} ${method} ${this.statusCode}`;
    let labels = seriesLabels.get(key);
    if (labels === undefined) {
      labels = { route, method, status: String(this.statusCode) };
      seriesLabels.set(key, labels);
    }
    duration.observe(labels, seconds);
    requests.inc(labels);
  }
  const versionLabel = (version: string) => {
    let labels = versionLabels.get(version);
    if (labels === undefined) {
      labels = { model_version: version };
      versionLabels.set(version, labels);
    }
    return labels;
  };
  let lastVersion: string | undefined;
  return {
    registry,
    count(name, value, labels) {
      options.inner?.count(name, value, labels);
      const version = labels?.modelVersion;
      counters[name].inc(version === undefined ? NO_LABELS : versionLabel(version), value);
      if (version !== undefined && version !== lastVersion) {
        modelInfo.reset();
        modelInfo.set({ model_version: version }, 1);
        lastVersion = version;
      }
    },
    publish() {
      options.inner?.publish();
    },
    serves: (req) => req.method === 'GET' && routeLabel(req) === '/metrics',
    async serve(res) {
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    },
    observe(_req, res) {
      (res as TimedResponse)[STARTED] = performance.now();
      res.once('finish', finished);
    },
  };
}
