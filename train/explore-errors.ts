/**
 * Error analysis on the validation split of the default training data, or with `SET=stress` on
 * the stress validation set (never the test set):
 * every wrong decision at the threshold, counted by slice, by item kind and by whether the item
 * scored higher against another budget (`outranked`, `true-higher`) and whether another budget of
 * the request has the same travel vendor (`sibling`). `SHOW=n` prints the first n errors with the
 * budget, the line item and their non-zero features.
 *
 *   npx tsx train/explore-errors.ts [models/default]
 *   SET=stress npx tsx train/explore-errors.ts [models/default]
 *   TRAIN_DUMP_VALIDATION=.data/val.bin npm run train -- --validation-only
 *   npx tsx train/explore-errors.ts .data/val.bin <threshold it printed>
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRequest } from '../lambda/contract';
import { FEATURE_COUNT, FEATURE_NAMES, parseVendorAliases, VendorAliases } from '../lambda/features';
import { loadModel } from '../lambda/model/load-model';
import { applyReciprocalStage } from '../lambda/model/reciprocal-stage';
import { TRAINING_GENERATOR } from './eval-config';
import { generatePairs } from './generate-pairs';
import { pairRows } from './pair-rows';
import { DEFAULT_TRAIN_ARGS } from './parse-args';
import { splitUsers } from './split-users';
import { stressSet } from './stress-set';

async function main() {
  const dir = process.argv[2] ?? 'models/default';
  // A model directory, or `scores.bin threshold` (TRAIN_DUMP_VALIDATION of --validation-only).
  // A dump holds the validation split's scores only (TRAIN_DUMP_VALIDATION).
  if (dir.endsWith('.bin') && process.env.SET === 'stress')
    throw new Error(
      'explore-errors: a scores dump is of the validation split; SET=stress needs a model directory',
    );
  const dumped = dir.endsWith('.bin')
    ? { scores: new Float32Array(readFileSync(dir).buffer.slice(0)), threshold: Number(process.argv[3]) }
    : undefined;
  let cursor = 0;
  const model = dumped
    ? {
        threshold: dumped.threshold,
        score: (_f: Float32Array, rows: number) => {
          cursor += rows;
          return dumped.scores.subarray(cursor - rows, cursor);
        },
      }
    : await loadModel(dir, 'cpu');
  const aliases = new VendorAliases(
    parseVendorAliases(readFileSync(resolve(__dirname, 'vendor-aliases.json'), 'utf8')),
  );
  const users = generatePairs({
    seed: DEFAULT_TRAIN_ARGS.seed,
    users: DEFAULT_TRAIN_ARGS.users,
    generator: TRAINING_GENERATOR,
  });
  const split = splitUsers(users, DEFAULT_TRAIN_ARGS.seed, { validation: 0.2, test: 0 });
  // The set to look at: the validation split, or the stress validation set (as many users).
  const examined =
    process.env.SET === 'stress'
      ? stressSet(DEFAULT_TRAIN_ARGS.seed, split.validation.length)
      : split.validation;
  const t = model.threshold;
  let missed = 0;
  let fp = 0;
  const missKinds: Record<string, number> = {};
  const fpKinds: Record<string, number> = {};
  let shown = 0;
  for (const user of examined) {
    const rows = pairRows([user], aliases);
    const parsed = parseRequest(user.request);
    const budgets = parsed.budgets.flatMap((b) => (b.ok ? [b] : []));
    const items = parsed.items.flatMap((i) => (i.ok ? [i] : []));
    const nb = budgets.length;
    const ni = items.length;
    // As serving scores the request: the network, then the model's reciprocal stage (a dump
    // already holds the final scores).
    const scores = model.score(rows.features, rows.rows, ni);
    if ('stage' in model && model.stage && ni > 0) applyReciprocalStage(scores, nb, ni, model.stage);
    for (let bi = 0; bi < nb; bi++) {
      for (let ii = 0; ii < ni; ii++) {
        const r = bi * ni + ii;
        const s = scores[r] as number;
        const y = rows.labels[r];
        if (s >= t === (y === 1)) continue;
        // Best other budget for this item, and whether the true budget outranks.
        let bestOther = 0;
        let trueScore = -1;
        for (let b2 = 0; b2 < nb; b2++) {
          const s2 = scores[b2 * ni + ii] as number;
          if (rows.labels[b2 * ni + ii] === 1) trueScore = Math.max(trueScore, s2);
          if (b2 !== bi) bestOther = Math.max(bestOther, s2);
        }
        const budget = budgets[bi]?.value;
        const item = items[ii]?.value;
        const sameBrandSibling = budgets.some(
          (b, k) =>
            k !== bi &&
            b.value.travel_vendor_receipts !== undefined &&
            b.value.travel_vendor_receipts === budget?.travel_vendor_receipts,
        );
        let cls: string;
        if (y === 1) {
          missed++;
          cls = `miss ${rows.slices[r]} ${bestOther >= s ? 'outranked' : 'top'}${sameBrandSibling ? ' sibling' : ''}`;
          missKinds[cls] = (missKinds[cls] ?? 0) + 1;
        } else {
          fp++;
          cls = `fp ${rows.kinds[r]} ${rows.slices[r]} ${trueScore < 0 ? 'no-true' : trueScore > s ? 'true-higher' : 'true-lower'}${sameBrandSibling ? ' sibling' : ''}`;
          fpKinds[cls] = (fpKinds[cls] ?? 0) + 1;
        }
        if (shown < Number(process.env.SHOW ?? 0)) {
          shown++;
          console.log(
            `\n${cls} score ${s.toFixed(3)} bestOther ${bestOther.toFixed(3)} true ${trueScore.toFixed(3)}`,
          );
          console.log('  budget', JSON.stringify(budget));
          console.log('  item  ', JSON.stringify(item));
          const f = rows.features.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT);
          console.log(
            '  feats ',
            FEATURE_NAMES.flatMap((n, k) => (f[k] !== 0 ? [`${n}=${Number(f[k]).toFixed(2)}`] : [])).join(
              ' ',
            ),
          );
        }
      }
    }
  }
  const sort = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]);
  console.log(`threshold ${t} missed ${missed} fp ${fp}`);
  for (const [k, v] of sort(missKinds)) console.log(String(v).padStart(5), k);
  for (const [k, v] of sort(fpKinds)) console.log(String(v).padStart(5), k);
}

main();
