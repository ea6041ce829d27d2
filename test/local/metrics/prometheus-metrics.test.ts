import { loadRequest } from '../../helpers/events';
import { useLocalServer } from '../../helpers/local-server';

/** A sample's value in Prometheus text: `name{labels} value`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[3] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(match[4]);
  }
  return undefined;
}

describe('GET /metrics on npm start (Prometheus text format)', () => {
  // The loader starts with the first rows (making its PGlite then): minutes on a crowded machine.
  jest.setTimeout(240_000);
  const local = useLocalServer({ RESULTS_FLUSH_MS: '20', CAPTURE: 'off' });
  const scrape = async () => {
    const response = await fetch(`${local.running.url}/metrics`);
    return { response, text: await response.text() };
  };

  it('counts requests by route and status, pairs and item errors by model version, and the backlog', async () => {
    const request = loadRequest('seed-request');
    const post = (body: unknown) =>
      fetch(`${local.running.url}/budget_expense_matcher`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post(request);
    const version = ok.headers.get('x-model-version') ?? '';
    await ok.arrayBuffer();
    // One budget × two items, one item without an id: 2 entries, 1 of them an error.
    const withError = await post({
      ...request,
      all_user_expense_lineitems: [
        ...request.all_user_expense_lineitems,
        { expensed_amount_itemization: '3' },
      ],
    });
    await withError.arrayBuffer();
    await (
      await fetch(`${local.running.url}/budget_expense_matcher`, { method: 'POST', body: 'not json' })
    ).arrayBuffer();
    await (await fetch(`${local.running.url}/health`)).arrayBuffer();
    await (await fetch(`${local.running.url}/no/such/path/12345`)).arrayBuffer();
    // Every row in the database (the loader process writes the journal's rows), so the backlog is 0.
    expect(await local.running.results.waitUntilLoaded(200_000)).toBe(true);

    const { response, text } = await scrape();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const route = '/budget_expense_matcher';
    expect(sample(text, 'matcher_http_requests_total', { route, method: 'POST', status: '200' })).toBe(2);
    expect(sample(text, 'matcher_http_requests_total', { route, method: 'POST', status: '400' })).toBe(1);
    expect(
      sample(text, 'matcher_http_requests_total', { route: '/health', method: 'GET', status: '200' }),
    ).toBe(1);
    // A path the service does not have is `other`, not a series of its own.
    expect(
      sample(text, 'matcher_http_requests_total', { route: 'other', method: 'GET', status: '404' }),
    ).toBe(1);
    expect(text).not.toContain('12345');
    expect(
      sample(text, 'matcher_http_request_duration_seconds_count', { route, method: 'POST', status: '200' }),
    ).toBe(2);
    expect(
      sample(text, 'matcher_http_request_duration_seconds_bucket', {
        route,
        method: 'POST',
        status: '200',
        le: '+Inf',
      }),
    ).toBe(2);
    expect(sample(text, 'matcher_pairs_scored_total', { model_version: version })).toBe(2);
    expect(sample(text, 'matcher_item_errors_total', { model_version: version })).toBe(1);
    expect(sample(text, 'matcher_model_info', { model_version: version })).toBe(1);
    expect(sample(text, 'matcher_results_backlog')).toBe(0);
  });

  it('counts the scrapes themselves under /metrics', async () => {
    await (await scrape()).text;

    const { text } = await scrape();

    expect(
      sample(text, 'matcher_http_requests_total', { route: '/metrics', method: 'GET', status: '200' }),
    ).toBeGreaterThanOrEqual(2);
  });
});
