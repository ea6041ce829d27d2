import { type LoadRun, modelLoadFigures } from '../../bench/model-load-figures';
import { FEATURE_COUNT } from '../../lambda/features';

const MiB = 1024 * 1024;

function load(store: string, run: number, loadMs: number, peakMib: number): LoadRun {
  const weight = 100 * MiB;
  return {
    hidden: [8, 8],
    shards: 2,
    store,
    run,
    publish_ms: 10,
    measured: {
      weight_bytes: weight,
      baseline_rss_bytes: 50 * MiB,
      peak_over_baseline_bytes: peakMib * MiB,
      peak_over_weights: (peakMib * MiB) / weight,
      load_ms: loadMs,
      mb_per_s: weight / 1e6 / (loadMs / 1000),
    },
  };
}

describe('modelLoadFigures', () => {
  const input = (runs: LoadRun[]) =>
    modelLoadFigures({
      command: 'npm run bench:load',
      shardMib: 64,
      partMib: 16,
      concurrency: 6,
      loadAverage: { start: [1, 1, 1], end: [2, 2, 2] },
      runs,
    });

  it('gives one row per model and store with ranges over the runs and what is above the weights', () => {
    const figures = input([
      load('s3', 1, 1000, 130),
      load('s3', 2, 2000, 128),
      load('directory', 1, 500, 98),
    ]);

    expect(figures.tables?.[0]?.rows).toEqual([
      [
        `100 MiB (${FEATURE_COUNT} → 8 → 8 → 1), 2 shards`,
        's3',
        2,
        '1.00–2.00',
        '52–105',
        '128–130',
        '28–30',
        '1.280–1.300',
        '**not met**',
      ],
      [
        `100 MiB (${FEATURE_COUNT} → 8 → 8 → 1), 2 shards`,
        'directory',
        1,
        '0.50',
        '210',
        '98',
        '−2',
        '0.980',
        'met',
      ],
    ]);
  });

  it('writes a range that starts below zero as "a to b"', () => {
    const figures = input([load('directory', 1, 500, 97), load('directory', 2, 500, 104)]);

    expect(figures.tables?.[0]?.rows[0]?.[6]).toBe('−3 to 4');
  });
});
