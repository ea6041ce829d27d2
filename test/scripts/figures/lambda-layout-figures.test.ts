import { lambdaLayoutFigures } from '../../../scripts/figures/lambda-layout-figures';

describe('lambdaLayoutFigures', () => {
  it('gives each run its handler load and first reply in whole ms (— when there was none)', () => {
    const input = lambdaLayoutFigures({
      zipNode: 'v24.1.0',
      timings: [
        { run: 'cpu', events: 14, loadMs: 80.4, firstReplyMs: 12.6 },
        { run: 'wasm', events: 14, loadMs: 90.5, firstReplyMs: undefined },
      ],
      checkSeconds: 2.04,
      loadAverage: [3, 2, 1],
    });

    expect(input.command).toBe('npm run check:lambda');
    expect(input.tables?.[0]?.rows).toEqual([
      ['cpu', 14, 80, 13],
      ['wasm', 14, 91, null],
    ]);
  });

  it('names the Node the zips ran on and how long the check took', () => {
    const input = lambdaLayoutFigures({
      zipNode: 'v24.1.0',
      timings: [],
      checkSeconds: 2.04,
      loadAverage: [3, 2, 1],
    });

    expect(input.notes?.[0]).toContain('The zips ran on node v24.1.0');
    expect(input.notes?.[0]).toContain('took 2.0 s');
    expect(input.figures).toMatchObject({ zip_node: 'v24.1.0', check_seconds: 2.04 });
  });
});
