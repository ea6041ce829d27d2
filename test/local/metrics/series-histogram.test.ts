import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from '../../../local/metrics/series-histogram';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const config = { name: 'x_seconds', help: 'Durations, by route and status', buckets: BUCKETS };

/** The same observations into prom-client's Histogram and into a SeriesHistogram, each in its own registry. */
async function bothTexts(observations: ReadonlyArray<{ route: string; status: string; value: number }>) {
  const reference = new Registry();
  const histogram = new Histogram({
    ...config,
    labelNames: ['route', 'status'] as const,
    registers: [reference],
  });
  const ours = new Registry();
  const lazy = new SeriesHistogram<'route' | 'status'>(config).register(ours);
  const series = new Map<string, ReturnType<typeof lazy.series>>();
  for (const { route, status, value } of observations) {
    histogram.observe({ route, status }, value);
    const key = `${route} ${status}`;
    let s = series.get(key);
    if (!s) {
      s = lazy.series({ route, status });
      series.set(key, s);
    }
    s.observe(value);
  }
  return { expected: await reference.metrics(), actual: await ours.metrics(), reference, ours };
}

describe('SeriesHistogram', () => {
  it("writes the text prom-client's Histogram writes for the same observations", async () => {
    const observation = fc.record({
      route: fc.constantFrom('/health', '/budget_expense_matcher', 'other', 'a "quoted" \\ route'),
      status: fc.constantFrom('200', '400', '503'),
      value: fc.oneof(fc.double({ min: 0, max: 20, noNaN: true }), fc.constantFrom(...BUCKETS, 0, 11)),
    });

    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
        const { expected, actual } = await bothTexts(observations);
        expect(actual).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same JSON as prom-client (labels merged into each value)', async () => {
    const { reference, ours } = await bothTexts([
      { route: '/health', status: '200', value: 0.003 },
      { route: '/health', status: '200', value: 12 },
      { route: 'other', status: '404', value: 0.2 },
    ]);

    expect(await ours.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
  });

  it('after a reset, shows no series until one is observed again, as prom-client', async () => {
    const { reference, ours } = await bothTexts([{ route: '/health', status: '200', value: 0.003 }]);

    reference.resetMetrics();
    ours.resetMetrics();

    expect(await ours.metrics()).toBe(await reference.metrics());
  });
});
