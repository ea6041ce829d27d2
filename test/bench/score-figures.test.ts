import { type ScoreRun, scoreFigures } from '../../bench/score-figures';

const run = (ratios: [number, number]): ScoreRun => ({
  requests: 1000,
  pairs: 1_000_000,
  shape: { budgets: 10, items: 100 },
  concurrency: 4,
  target_ratio: 0.8,
  load_average: { start: [1.5, 2, 3], end: [4, 5, 6.25] },
  rows: (['http', 'invoke'] as const).map((route, i) => ({
    route,
    reference_pairs_per_s: 200_000,
    reference_runs_s: [4, 6],
    score_pairs_per_s: Math.round(200_000 * ratios[i as 0 | 1]),
    score_s: 6.1,
    score_printed: 'answered 1000 requests',
    ratio: ratios[i as 0 | 1],
  })),
});

describe('scoreFigures', () => {
  it('gives each route its reference runs, the client, the ratio and the verdict against the target', () => {
    const input = scoreFigures('npm run bench:score', run([0.85, 0.79]));

    expect(input.tables?.[0]?.rows).toEqual([
      ['HTTP (`--url`)', 200_000, '4.0 s, 6.0 s', 170_000, '6.1 s', 0.85, 'met'],
      ['Invoke (`--endpoint-url`)', 200_000, '4.0 s, 6.0 s', 158_000, '6.1 s', 0.79, '**not met**'],
    ]);
    expect(input.tables?.[0]?.columns).toContain('target ≥ 0.8');
  });

  it('records the command as run and the load average at both ends in the note', () => {
    const input = scoreFigures('npm run bench:score -- --requests 200', run([0.9, 0.9]));

    expect(input.command).toBe('npm run bench:score -- --requests 200');
    expect(input.notes?.[0]).toContain('at the start 1.50, 2.00, 3.00, at the end 4.00, 5.00, 6.25');
    expect(input.notes?.[0]).toContain('1,000 requests of 10 budgets × 100 items (1,000,000 pairs)');
  });
});
