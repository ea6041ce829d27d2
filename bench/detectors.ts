/**
 * `npm run bench:detectors [-- --days 20000]`: how often each quality detector flags a day of pure
 * noise, and how soon it flags a step and a slow decay. Series are built with the tests' generator
 * (`test/helpers/quality-series.ts`): 100 true matches a day, precision and recall 0.9, so the
 * daily figures move by about ±0.03 from sampling alone.
 *
 * Detectors: the SQL band of `quality_trend` (a day outside the trailing median ± 3 MAD, run on
 * PGlite), the Theil–Sen trend flag and the two-window shift flag (`detectShifts`). A flag on a
 * noise day is a false alarm; the rate is given per 100 days, counting flagged days and alarm
 * episodes (a run of consecutive flagged days raises one alarm). Writes its figures
 * (`.data/figures/detectors.json`, `writeFigures`) for docs/results-and-monitoring.md.
 */
import { parseArgs } from 'node:util';
import { migrate, openDatabase } from '../lambda/db';
import { DEFAULT_SHIFT_OPTIONS, detectShifts, qualityTrend } from '../lambda/monitoring';
import { writeFigures } from '../scripts/figures/write-figures';
import {
  decay,
  flat,
  insertSyntheticDays,
  type QualityPath,
  step,
  syntheticDays,
} from '../test/helpers/quality-series';
import { detectorFigures } from './detectors-figures';

const { values } = parseArgs({ options: { days: { type: 'string' }, 'sql-days': { type: 'string' } } });
const NOISE_DAYS = Number(values.days ?? 20_000);
const SQL_DAYS = Number(values['sql-days'] ?? 4_000);
const SERIES_DAYS = 500;
/** Change series: flat, then a step or a decay from day CHANGE_AT of CHANGE_DAYS. */
const CHANGE_AT = 60;
const CHANGE_DAYS = 150;

type Detector = 'band (median ± 3 MAD, SQL)' | 'trend (Theil–Sen)' | 'shift (two windows)';
const DETECTORS: readonly Detector[] = [
  'band (median ± 3 MAD, SQL)',
  'trend (Theil–Sen)',
  'shift (two windows)',
];

/** Flags per day of each series, for one figure, by each detector. */
async function flagsOf(path: QualityPath, days: number, seeds: readonly number[], sql: boolean) {
  const out = new Map<Detector, boolean[][]>(DETECTORS.map((d) => [d, []]));
  const db = sql ? await openDatabase({ memory: true }) : undefined;
  if (db) await migrate(db);
  for (const seed of seeds) {
    const series = syntheticDays(path, { days, seed });
    for (const figure of ['precision', 'recall'] as const) {
      const shifts = detectShifts(series.map((d) => ({ day: d.day, value: d[figure] })));
      out.get('trend (Theil–Sen)')?.push(series.map((d) => shifts.get(d.day)?.trendFlag === true));
      out.get('shift (two windows)')?.push(series.map((d) => shifts.get(d.day)?.shiftFlag === true));
    }
    if (db) await insertSyntheticDays(db, `s${seed}`, series);
  }
  if (db) {
    const trend = await qualityTrend(db);
    for (const seed of seeds) {
      const mine = trend.filter((r) => r.modelVersion === `s${seed}`);
      out.get('band (median ± 3 MAD, SQL)')?.push(mine.map((r) => r.precisionTrend.flag === true));
      out.get('band (median ± 3 MAD, SQL)')?.push(mine.map((r) => r.recallTrend.flag === true));
    }
  }
  await db?.close();
  return out;
}

function rates(series: readonly boolean[][]) {
  let days = 0;
  let flagged = 0;
  let episodes = 0;
  for (const flags of series) {
    days += flags.length;
    flags.forEach((f, i) => {
      if (f) flagged++;
      if (f && !flags[i - 1]) episodes++;
    });
  }
  return {
    days,
    flaggedPer100: (100 * flagged) / Math.max(days, 1),
    episodesPer100: (100 * episodes) / Math.max(days, 1),
  };
}

/** Days from the change to the first flag on or after it, median over the series (null: never). */
function delay(series: readonly boolean[][], at: number) {
  const delays = series.map((flags) => {
    const i = flags.findIndex((f, d) => f && d >= at);
    return i < 0 ? null : i - at;
  });
  const found = delays.filter((d): d is number => d !== null).sort((a, b) => a - b);
  return {
    detected: `${found.length}/${delays.length}`,
    medianDelayDays: found.length ? (found[found.length >> 1] ?? null) : null,
    flaggedBefore: series.filter((flags) => flags.slice(0, at).some(Boolean)).length,
  };
}

async function main(): Promise<void> {
  const seeds = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i);
  const noiseSeeds = seeds(Math.ceil(NOISE_DAYS / SERIES_DAYS), 1000);
  const noise = await flagsOf(flat(), SERIES_DAYS, noiseSeeds, false);
  const sqlNoise = await flagsOf(flat(), SERIES_DAYS, seeds(Math.ceil(SQL_DAYS / SERIES_DAYS), 1000), true);
  const changeSeeds = seeds(20, 5000);
  const stepped = await flagsOf(step(CHANGE_AT, 0.05), CHANGE_DAYS, changeSeeds, true);
  const decayed = await flagsOf(decay(CHANGE_AT, 0.003), CHANGE_DAYS, changeSeeds, true);
  const rows = DETECTORS.map((d) => {
    const onNoise = rates((d.includes('SQL') ? sqlNoise : noise).get(d) ?? []);
    return {
      detector: d,
      noiseDays: onNoise.days,
      falseFlagsPer100Days: Number(onNoise.flaggedPer100.toFixed(3)),
      falseAlarmEpisodesPer100Days: Number(onNoise.episodesPer100.toFixed(3)),
      step005: delay(stepped.get(d) ?? [], CHANGE_AT),
      decay0003: delay(decayed.get(d) ?? [], CHANGE_AT),
    };
  });
  console.log(
    `Detectors on synthetic daily precision and recall (0.9, ±0.03 sampling noise; ${SERIES_DAYS}-day series)`,
  );
  console.log(
    'detector                       noise days  false flags/100d  alarms/100d  step −0.05: found, median delay  decay −0.003/d: found, median delay',
  );
  for (const r of rows)
    console.log(
      `${r.detector.padEnd(30)} ${String(r.noiseDays).padStart(10)}  ${r.falseFlagsPer100Days.toFixed(3).padStart(16)}  ${r.falseAlarmEpisodesPer100Days.toFixed(3).padStart(11)}  ${`${r.step005.detected}, ${r.step005.medianDelayDays ?? '—'} d`.padStart(31)}  ${`${r.decay0003.detected}, ${r.decay0003.medianDelayDays ?? '—'} d`.padStart(35)}`,
    );
  const file = writeFigures(
    'detectors',
    detectorFigures({
      seriesDays: SERIES_DAYS,
      changeAt: CHANGE_AT,
      changeDays: CHANGE_DAYS,
      options: DEFAULT_SHIFT_OPTIONS,
      rows,
      command: `npm run bench:detectors${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    }),
  );
  console.log(`\nfigures: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
