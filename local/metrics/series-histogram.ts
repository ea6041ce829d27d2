import type { MetricValueWithName, Registry } from 'prom-client';

/** One value of the exposition, in the shape prom-client's registry reads. */
type HistogramValue = MetricValueWithName<string> & {
  readonly sharedLabels?: Readonly<Record<string, string>>;
  readonly exemplar?: null;
};

/** What prom-client's registry asks a metric for at a scrape. */
interface HistogramValues {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  values: HistogramValue[];
}

/** One labelled series of a {@link SeriesHistogram}: what a request adds to is plain numbers. */
export class HistogramSeries<L extends string = string> {
  /** Observations at or under each upper bound and over the one before (not cumulative). */
  readonly counts: Float64Array;
  count = 0;
  sum = 0;

  constructor(
    readonly labels: Readonly<Record<L, string>>,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length);
  }

  /** Counts `value`: a few comparisons and three additions, no object and no label hashing. */
  observe(value: number): void {
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    if (i < bounds.length) this.counts[i] = (this.counts[i] as number) + 1;
    this.count += 1;
    this.sum += value;
  }
}

/**
 * A Prometheus histogram whose series the caller holds and observes into directly, summed into
 * the exposition only at scrape time. prom-client's `Histogram.observe` checks and hashes the
 * labels object and builds a value pair on every call (per request, on the local server's 1 × 1
 * path); here a request adds to three numbers of a series looked up once. The text a scrape gets
 * is the one prom-client's `Histogram` writes for the same observations (a test holds it there).
 *
 * @example
 * const duration = new SeriesHistogram({ name: 'x_seconds', help: '...', buckets: [0.1, 1] });
 * duration.register(registry);
 * const series = duration.series({ route: '/health' }); // once per label set
 * series.observe(0.004); // per request
 */
export class SeriesHistogram<L extends string = string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly upperBounds: readonly number[];
  private readonly all: HistogramSeries<L>[] = [];

  constructor(config: { readonly name: string; readonly help: string; readonly buckets: readonly number[] }) {
    this.name = config.name;
    this.help = config.help;
    this.upperBounds = [...config.buckets].sort((a, b) => a - b);
  }

  /** Adds the histogram to `registry` (prom-client asks it for its values at each scrape). */
  register(registry: Registry): this {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
    return this;
  }

  /** A new series with these labels; keep it and observe into it (each call makes another series). */
  series(labels: Readonly<Record<L, string>>): HistogramSeries<L> {
    const series = new HistogramSeries(labels, this.upperBounds);
    this.all.push(series);
    return series;
  }

  /** Every series, for a caller that counts the same requests (`_count`) as another metric. */
  get allSeries(): readonly HistogramSeries<L>[] {
    return this.all;
  }

  /** What prom-client's registry writes as text: the shape of its `Histogram.getForPromString`. */
  async getForPromString(): Promise<HistogramValues> {
    // `exemplar: null` on the buckets, as prom-client's values have it (without exemplars enabled).
    const values: HistogramValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const series of this.all) {
      // A series reset and not observed since is left out, as prom-client leaves it out.
      if (series.count === 0) continue;
      const shared = series.labels;
      let cumulative = 0;
      this.upperBounds.forEach((bound, i) => {
        cumulative += series.counts[i] as number;
        values.push({
          labels: { le: bound },
          sharedLabels: shared,
          value: cumulative,
          metricName: bucket,
          exemplar: null,
        });
      });
      values.push(
        {
          labels: { le: '+Inf' },
          sharedLabels: shared,
          value: series.count,
          metricName: bucket,
          exemplar: null,
        },
        { labels: {}, sharedLabels: shared, value: series.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: shared, value: series.count, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }

  /** The values with each series' labels merged in (`getMetricsAsJSON`), as prom-client's `get`. */
  async get(): Promise<HistogramValues> {
    const data = await this.getForPromString();
    data.values = data.values.map(({ sharedLabels, labels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }));
    return data;
  }

  /** Zeroes every series (`registry.resetMetrics()`); the series handed out stay the ones counted. */
  reset(): void {
    for (const series of this.all) {
      series.counts.fill(0);
      series.count = 0;
      series.sum = 0;
    }
  }
}
