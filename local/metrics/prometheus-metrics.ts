import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import { ROUTES } from '../../lambda/edge/route';
import { PREDICT_METRICS, type PredictMetricName, type ServiceMetrics } from '../../lambda/metrics';
import { type HistogramSeries, SeriesHistogram } from './series-histogram';

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

type RequestLabel = 'route' | 'method' | 'status';

/**
 * Prometheus metrics for `npm start`, with prom-client (the maintained Node client):
 *
 * - `matcher_http_requests_total` and `matcher_http_request_duration_seconds` (histogram) by
 *   route, method and status;
 * - the predict function's EMF counters ({@link PROMETHEUS_COUNTERS}) by `model_version` (the
 *   live version that scored; dropped rows have none);
 * - `matcher_model_info{model_version}` = 1 for the version that scored last;
 * - `matcher_results_backlog`: rows handed to the results sink and not yet written.
 *
 * No process metrics (CPU, memory, event-loop lag): prom-client's `collectDefaultMetrics` would
 * add them, with an event-loop delay histogram sampling all the time beside the requests; the
 * local server does not collect them.
 *
 * A request adds to plain numbers (its series, found by route, method and status without
 * building a key; the counters' totals by model version); prom-client's objects are filled from
 * them when `/metrics` is scraped, not per request. `inner` still gets every count (the debug log
 * the local server already keeps).
 */
export function createPrometheusMetrics(
  options: { readonly backlog?: BacklogSource; readonly inner?: ServiceMetrics } = {},
): PrometheusMetrics {
  const registry = new Registry();
  const duration = new SeriesHistogram<RequestLabel>({
    name: 'matcher_http_request_duration_seconds',
    help: 'Time from the request arriving to its reply being sent, by route, method and status',
    // From a health check (sub-millisecond) to a large batch (seconds).
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  // Registered in this order so the scrape lists them as before: requests, then durations.
  new Counter({
    name: 'matcher_http_requests_total',
    help: 'HTTP requests answered, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
    // The requests of each series are its durations' count: summed here, at the scrape.
    collect() {
      this.reset();
      for (const series of duration.allSeries) if (series.count > 0) this.inc(series.labels, series.count);
    },
  });
  duration.register(registry);
  // Each EMF counter's total by model version (undefined: no version), added up per request and
  // handed to prom-client at the scrape.
  const totals = new Map<PredictMetricName, Map<string | undefined, number>>();
  for (const key of Object.keys(PROMETHEUS_COUNTERS) as PredictMetricName[]) {
    const byVersion = new Map<string | undefined, number>();
    totals.set(key, byVersion);
    new Counter({
      name: PROMETHEUS_COUNTERS[key].name,
      help: PROMETHEUS_COUNTERS[key].help,
      labelNames: ['model_version'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [version, total] of byVersion) {
          if (version === undefined) this.inc(total);
          else this.inc({ model_version: version }, total);
        }
      },
    });
  }
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
  // The series of each route: a handful, scanned for the method and status (no key string built).
  const seriesByRoute = new Map<string, HistogramSeries<RequestLabel>[]>();
  const seriesOf = (route: string, method: string, status: number): HistogramSeries<RequestLabel> => {
    let list = seriesByRoute.get(route);
    if (list === undefined) {
      list = [];
      seriesByRoute.set(route, list);
    }
    const text = String(status);
    for (const series of list) {
      if (series.labels.method === method && series.labels.status === text) return series;
    }
    const series = duration.series({ route, method, status: text });
    list.push(series);
    return series;
  };
  // Shared by every response (no closure a request); `this` is the response that was sent.
  function finished(this: TimedResponse): void {
    const seconds = (performance.now() - (this[STARTED] ?? performance.now())) / 1000;
    seriesOf(routeLabel(this.req), this.req.method ?? 'GET', this.statusCode).observe(seconds);
  }
  let lastVersion: string | undefined;
  return {
    registry,
    count(name, value, labels) {
      options.inner?.count(name, value, labels);
      const version = labels?.modelVersion;
      const byVersion = totals.get(name);
      // A count that is not a finite, non-negative number is left out (prom-client's `inc` throws on it).
      if (byVersion !== undefined && value >= 0 && Number.isFinite(value))
        byVersion.set(version, (byVersion.get(version) ?? 0) + value);
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
      // `on`, not `once`: a response finishes once, and `once` wraps the listener in a closure a request.
      res.on('finish', finished);
    },
  };
}
