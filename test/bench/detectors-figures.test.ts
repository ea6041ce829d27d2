import { readFileSync } from 'node:fs';
import { detectorFigures } from '../../bench/detectors-figures';
import { parseFiguresFile } from '../../scripts/figures/figures-file';
import { writeFigures } from '../../scripts/figures/write-figures';
import { useScratch } from '../helpers/scratch';

const scratch = useScratch();

describe('detectorFigures', () => {
  const run = {
    command: 'npm run bench:detectors',
    seriesDays: 500,
    changeAt: 60,
    changeDays: 150,
    options: { trendDays: 35 },
    rows: [
      {
        detector: 'trend (Theil–Sen)',
        noiseDays: 40_000,
        falseFlagsPer100Days: 0.028,
        falseAlarmEpisodesPer100Days: 0.015,
        step005: { detected: '23/40', medianDelayDays: 12, flaggedBefore: 0 },
        decay0003: { detected: '0/40', medianDelayDays: null, flaggedBefore: 1 },
      },
    ],
  };

  it('gives one row per detector: rates on noise, then found and median delay (— when never found)', () => {
    const input = detectorFigures(run);

    expect(input.tables?.[0]?.id).toBe('detectors');
    expect(input.tables?.[0]?.rows).toEqual([
      ['trend (Theil–Sen)', 40_000, 0.028, 0.015, '23/40, 12 d', '0/40, —'],
    ]);
  });

  it('says in its note where the change starts, from the run, and keeps the raw rows', () => {
    const input = detectorFigures(run);

    expect(input.notes?.[0]).toContain('start on day 60 of 150-day series');
    expect(input.notes?.[0]).toContain('500-day series');
    expect(input.figures).toMatchObject({ series_days: 500, detectors: run.rows });
  });

  it('is a figures file the docs can render', () => {
    const path = writeFigures('detectors', detectorFigures(run), scratch.dir('figures'));

    expect(() => parseFiguresFile(readFileSync(path, 'utf8'), path)).not.toThrow();
  });
});
