/**
 * `npm run train`: generate labelled pairs → split by user → features through the serving code →
 * fit a small TF.js MLP on the cpu backend → evaluate on the test split and on an unseen-vendor
 * set → write the artifact (model.json, weights.bin, manifest.json). See `--help`.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { FEATURE_NAMES, FEATURE_SPEC_HASH, FEATURE_SPEC_VERSION } from '../lambda/features';
import { codeRevision } from './code-revision';
import { errorsByKind } from './error-analysis';
import { type FitOptions, fitModel } from './fit-model';
import { generatePairs } from './generate-pairs';
import { chooseThreshold, evaluate, type MetricSet } from './metrics';
import { metricsTable } from './metrics-table';
import { type PairRows, pairRows } from './pair-rows';
import { parseArgs, TRAIN_USAGE, UsageError } from './parse-args';
import { deriveSeed } from './random';
import { saveArtifact } from './save-artifact';
import { scoreRows } from './score-rows';
import { DEFAULT_SPLIT, splitUsers } from './split-users';
import { BRANDS } from './vendors';

const MODEL_NAME = 'budget-expense-matcher';
const PURPOSE =
  'Scores the probability that an expense line item is the charge for the booking a travel budget covers (CONTRACT.md), for every (budget, line item) pair of a request.';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(TRAIN_USAGE);
    return;
  }
  const args = parseArgs(argv);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  require('@tensorflow/tfjs-backend-cpu');
  tf.enableProdMode();
  await tf.setBackend('cpu');

  const users = generatePairs({ seed: args.seed, users: args.users });
  const split = splitUsers(users, args.seed);
  const data = {
    train: pairRows(split.train),
    validation: pairRows(split.validation),
    test: pairRows(split.test),
  };
  // The unseen-vendor set: another seed, brands held out of training, other descriptor styles.
  const unseenSeed = deriveSeed(args.seed, 0x0a5e);
  const unseenUsers = Math.max(50, Math.round(args.users / 4));
  const unseenGenerated = generatePairs({ seed: unseenSeed, users: unseenUsers, vendorSet: 'held-out' });
  const unseen = pairRows(unseenGenerated);
  // The same sets without the clients that leave whole field groups out: what the model does when
  // it is sent what the contract asks for.
  const complete = {
    test: pairRows(split.test.filter((u) => !u.sparseClient)),
    unseen: pairRows(unseenGenerated.filter((u) => !u.sparseClient)),
  };
  for (const [name, rows] of [...Object.entries(data), ['unseen_vendors', unseen] as const]) {
    console.log(`${name.padEnd(14)} ${String(rows.rows).padStart(8)} pairs, ${rows.positives} matches`);
  }
  console.log(`generated and featurised in ${elapsed()}`);

  const options: FitOptions = {
    seed: args.seed,
    hiddenUnits: 16,
    epochs: args.epochs,
    batchSize: 1024,
    learningRate: 0.01,
  };
  const fit = await fitModel(data.train, data.validation, options, (e) =>
    console.log(
      `epoch ${String(e.epoch).padStart(2)}  loss ${e.trainLoss.toFixed(4)}  validation log loss ${e.validationLogLoss.toFixed(4)}  AUC ${e.validationAuc.toFixed(4)}  (${e.seconds.toFixed(1)}s)`,
    ),
  );
  console.log(`trained in ${elapsed()}; kept epoch ${fit.bestEpoch}`);

  const score = (rows: PairRows) => scoreRows(fit.model, rows.features, rows.rows);
  const scores = {
    validation: score(data.validation),
    test: score(data.test),
    unseen: score(unseen),
    testComplete: score(complete.test),
    unseenComplete: score(complete.unseen),
  };
  // Rounded as serving rounds scores, so that the manifest's threshold is the one evaluated.
  const threshold = round6(chooseThreshold(scores.validation, data.validation.labels).threshold);
  const metrics = {
    validation: evaluate(scores.validation, data.validation.labels, threshold),
    test: evaluate(scores.test, data.test.labels, threshold),
    unseen: evaluate(scores.unseen, unseen.labels, threshold),
    testComplete: evaluate(scores.testComplete, complete.test.labels, threshold),
    unseenComplete: evaluate(scores.unseenComplete, complete.unseen.labels, threshold),
  };
  console.log(`\nthreshold ${threshold} (maximises F1 on validation)\n`);
  console.log(
    metricsTable([
      { name: 'validation', rows: data.validation.rows, metrics: metrics.validation },
      { name: 'test', rows: data.test.rows, metrics: metrics.test },
      { name: 'unseen vendors', rows: unseen.rows, metrics: metrics.unseen },
      { name: 'test, complete clients', rows: complete.test.rows, metrics: metrics.testComplete },
      {
        name: 'unseen vendors, complete clients',
        rows: complete.unseen.rows,
        metrics: metrics.unseenComplete,
      },
    ]),
  );
  for (const [name, rows, s] of [
    ['test', data.test, scores.test],
    ['unseen vendors', unseen, scores.unseen],
  ] as const) {
    const errors = errorsByKind(s, rows, threshold);
    console.log(
      `\n${name}: ${errors.missedCharges} missed charges; false positives by item kind ${JSON.stringify(errors.falsePositives)}`,
    );
  }

  const now = new Date();
  const manifest = await saveArtifact(resolve(args.out), fit.model, {
    schema_version: 1,
    name: MODEL_NAME,
    version: batchId(now),
    purpose: PURPOSE,
    created_at: now.toISOString(),
    feature_spec: { version: FEATURE_SPEC_VERSION, hash: FEATURE_SPEC_HASH, names: [...FEATURE_NAMES] },
    training_data: {
      source: 'train/generate-pairs.ts',
      seed: args.seed,
      hash: rowsHash([data.train, data.validation, data.test]),
      rows: { train: data.train.rows, validation: data.validation.rows, test: data.test.rows },
      positives: {
        train: data.train.positives,
        validation: data.validation.positives,
        test: data.test.positives,
      },
      users: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    },
    code_revision: codeRevision(),
    hyperparameters: {
      architecture: `dense(${options.hiddenUnits}, relu) -> dense(1, sigmoid)`,
      hidden_units: options.hiddenUnits,
      optimizer: 'adam',
      learning_rate: options.learningRate,
      loss: 'binary_crossentropy',
      batch_size: options.batchSize,
      epochs: options.epochs,
      best_epoch: fit.bestEpoch,
      kernel_initializer: 'glorot_uniform (seeded)',
      class_weight: fit.classWeight,
      prior_correction: fit.priorCorrection,
      threshold_rule: 'maximise F1 on the validation split',
      seed: args.seed,
      users: args.users,
      split: { train: 1 - DEFAULT_SPLIT.validation - DEFAULT_SPLIT.test, ...DEFAULT_SPLIT, by: 'user' },
    },
    metrics: rounded(metrics.test),
    evaluations: {
      validation: { ...rounded(metrics.validation), description: 'validation split (threshold chosen here)' },
      unseen_vendors: {
        ...rounded(metrics.unseen),
        description: `${unseenUsers} users generated with seed ${unseenSeed}, only brands held out of training (${BRANDS.filter(
          (b) => b.heldOut,
        )
          .map((b) => b.name)
          .join(', ')}) and descriptor styles training never saw; threshold not re-tuned`,
      },
      test_complete_clients: {
        ...rounded(metrics.testComplete),
        description: 'test split without the clients that leave whole field groups out',
      },
      unseen_vendors_complete_clients: {
        ...rounded(metrics.unseenComplete),
        description: 'unseen-vendor set without the clients that leave whole field groups out',
      },
    },
    threshold,
    runtime: { tfjs_version: tf.version_core, trained_on_backend: tf.getBackend() },
  });
  console.log(
    `\nwrote ${args.out} (version ${manifest.version}, code ${manifest.code_revision}) in ${elapsed()}`,
  );
}

/** A time-stamped batch id such as `2026-11-23T031500Z` (DESIGN.md #4). */
function batchId(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 19).replace(/:/g, '')}Z`;
}

/** sha256 of the feature rows and labels of every split, in order. */
function rowsHash(sets: readonly PairRows[]): string {
  const hash = createHash('sha256');
  for (const rows of sets) {
    hash.update(new Uint8Array(rows.features.buffer, rows.features.byteOffset, rows.features.byteLength));
    hash.update(rows.labels);
  }
  return hash.digest('hex');
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function rounded(m: MetricSet): MetricSet {
  return {
    ...m,
    precision: round6(m.precision),
    recall: round6(m.recall),
    f1: round6(m.f1),
    roc_auc: round6(m.roc_auc),
  };
}

main().catch((error: unknown) => {
  // A bad command line gets its message; anything else is a bug and keeps its stack.
  if (error instanceof UsageError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
