/**
 * `npm run train`: generate labelled pairs → split by user into train and validation → features
 * through the serving code (with the vendor alias table) → fit a small TF.js MLP on the wasm
 * backend (its own mini-batch loop, the learning rate decaying each epoch), stopping early → threshold on validation → the held-out test set of the frozen
 * evaluation (train/eval-config.ts), scored once, overall, by slice and by budget type → golden
 * requests → the artifact (model.json, weights.bin, vendor-aliases.json, manifest.json) in a new
 * directory, or over the committed default with `--update-default`. See `--help`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { parseRequest } from '../lambda/contract';
import {
  FEATURE_NAMES,
  FEATURE_SPEC_HASH,
  FEATURE_SPEC_VERSION,
  Normaliser,
  parseVendorAliases,
  requestFeatures,
  VendorAliases,
} from '../lambda/features';
import { applyReciprocalStage, type ReciprocalStage } from '../lambda/model/reciprocal-stage';
import type { GoldenRequests } from '../lambda/model-store';
import { writeFigures } from '../scripts/figures/write-figures';
import { codeRevision } from './code-revision';
import { STRESS_RANDOMISATION, sliceCentre, TRAINING_RANDOMISATION } from './domain-randomisation';
import { errorsByKind } from './error-analysis';
import {
  BUDGET_TYPE_GROUPS,
  type BudgetTypeGroup,
  EVALUATION_RULES,
  SLICE_DESCRIPTIONS,
  SLICE_NAMES,
  type SliceName,
  TARGETS,
  TEST_GENERATOR,
  TEST_SET,
  TRAINING_GENERATOR,
} from './eval-config';
import { type FitOptions, fitModel } from './fit-model';
import {
  applyStageToRows,
  concatScored,
  fitReciprocalStage,
  type ScoredRequests,
  scoredRequests,
  splitByItems,
  stageInputsOf,
  withChargesAbsent,
} from './fit-reciprocal-stage';
import { generatePairs, type UserPairs } from './generate-pairs';
import {
  chooseThreshold,
  chooseThresholdWithFloors,
  evaluate,
  evaluateGroups,
  type MetricSet,
} from './metrics';
import { metricsTable } from './metrics-table';
import { concatRows, type PairRows, pairRows } from './pair-rows';
import { parseArgs, TRAIN_USAGE, UsageError } from './parse-args';
import { deriveSeed, Random } from './random';
import { saveArtifact } from './save-artifact';
import { scoreRows } from './score-rows';
import { splitUsers } from './split-users';
import { stressSet } from './stress-set';

const MODEL_NAME = 'budget-expense-matcher';
const PURPOSE =
  'Scores the probability that an expense line item is the charge for the booking a travel budget covers (CONTRACT.md), for every (budget, line item) pair of a request.';
/** The alias table training ships with the model (users publish an edited copy; docs/models.md). */
const ALIAS_TABLE = resolve(__dirname, 'vendor-aliases.json');
const ALIAS_FILE = 'vendor-aliases.json';
const SPLIT = { validation: 0.2, test: 0 } as const;
const GOLDEN_TOLERANCE = 1e-4;
/** Salts the training seed for the charge-absent copies the stage is fitted on, and for the validation variants. */
const ABSENT_SALT = 0xab5e7;
const SPLIT_SALT = 0x5b117;
/** The stage's fitting set adds the training requests with each budget's charge absent at a share drawn from [0, this]. */
const ABSENT_SHARE_MAX = 0.5;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(TRAIN_USAGE);
    return;
  }
  const args = parseArgs(argv);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  require('@tensorflow/tfjs-backend-wasm');
  tf.enableProdMode();
  if (!(await tf.setBackend('wasm'))) throw new Error('the TF.js wasm backend did not start');
  const now = new Date();
  const version = batchId(now);
  const out = resolve(args.out ?? join('.data', 'models', version));

  const aliasBytes = readFileSync(ALIAS_TABLE);
  const aliasTable = parseVendorAliases(aliasBytes.toString('utf8'));
  const aliases = new VendorAliases(aliasTable);

  // Users are split by number first, so that the validation split is the same users whatever the
  // training users are drawn with: training users draw their own configuration around
  // TRAINING_GENERATOR (domain randomisation), validation users have TRAINING_GENERATOR's own.
  const ids = splitUsers(
    Array.from({ length: args.users }, (_, n) => n),
    args.seed,
    SPLIT,
  );
  const randomisation = TRAINING_RANDOMISATION;
  const split = {
    train: generatePairs({
      seed: args.seed,
      users: args.users,
      generator: TRAINING_GENERATOR,
      randomisation,
      userNumbers: ids.train,
    }),
    validation: generatePairs({
      seed: args.seed,
      users: args.users,
      generator: TRAINING_GENERATOR,
      userNumbers: ids.validation,
    }),
  };
  // The stress validation set: harder than training (the hard end of the randomisation's
  // ranges), still training brands and styles only, from a seed of its own.
  const stressUsers = stressSet(args.seed, ids.validation.length);
  const testUsers = args.validationOnly
    ? []
    : generatePairs({ seed: TEST_SET.seed, users: TEST_SET.users, generator: TEST_GENERATOR });
  const data = {
    train: pairRows(split.train, aliases),
    validation: pairRows(split.validation, aliases),
    stress: pairRows(stressUsers, aliases),
    test: pairRows(testUsers, aliases),
  };
  // Early stopping and the threshold look at both validation sets together.
  const selection = concatRows(data.validation, data.stress);
  for (const [name, rows] of Object.entries(data)) {
    console.log(`${name.padEnd(11)} ${String(rows.rows).padStart(8)} pairs, ${rows.positives} matches`);
  }
  console.log(`generated and featurised in ${elapsed()}`);

  const options: FitOptions = {
    seed: args.seed,
    hiddenUnits: args.hiddenUnits,
    epochs: args.epochs,
    patience: 2,
    batchSize: 1024,
    learningRate: 0.004,
    learningRateDecay: 0.85,
  };
  const fit = await fitModel(data.train, selection, options, (e) =>
    console.log(
      `epoch ${String(e.epoch).padStart(2)}  lr ${e.learningRate.toPrecision(3)}  loss ${e.trainLoss.toFixed(4)}  validation + stress log loss ${e.validationLogLoss.toFixed(4)}  AUC ${e.validationAuc.toFixed(4)}  (${e.seconds.toFixed(1)}s)`,
    ),
  );
  console.log(`trained in ${elapsed()}; kept epoch ${fit.bestEpoch} of ${fit.history.length}`);

  // The reciprocal stage, fitted on the network's scores of the training split (its requests as
  // they are, and again with some budgets' charges absent); every set is then scored as serving
  // scores it: the network, then the stage over each request.
  const network = (rows: PairRows) => scoredRequests(scoreRows(fit.model, rows.features, rows.rows), rows);
  const trainScored = network(data.train);
  const stageFit = concatScored(
    trainScored,
    withChargesAbsent(trainScored, new Random(deriveSeed(args.seed, ABSENT_SALT)), ABSENT_SHARE_MAX),
  );
  const stage = fitReciprocalStage(stageInputsOf(stageFit), stageFit.labels);
  console.log(
    `reciprocal stage fitted on the training split (${stageFit.labels.length} pairs with the charge-absent copies): ${JSON.stringify(stage.weights)}`,
  );
  const validationNetwork = network(data.validation);
  const stressNetwork = network(data.stress);
  const validationScores = applyStageToRows(validationNetwork, stage);
  const stressScores = applyStageToRows(stressNetwork, stage);
  // The F1-best threshold on the two validation sets that keeps the floors: precision on
  // the two pooled, recall on every slice and budget type of each set on its own; rounded as serving rounds
  // scores, so that the manifest's threshold is the one evaluated.
  // The two sets' scores as `selection` orders its rows (validation, then stress): not scored again.
  const selectionScores = new Float32Array(selection.rows);
  selectionScores.set(validationScores);
  selectionScores.set(stressScores, data.validation.rows);
  const choice = chooseThresholdWithFloors(
    selectionScores,
    selection.labels,
    floorGroups(data.validation, data.stress),
    {
      recallFloor: TARGETS.recall,
      precisionFloor: TARGETS.precision,
    },
  );
  const threshold = round6(choice.threshold);
  const stageEffect = stageEffectOn(
    { validation: validationNetwork, stress: stressNetwork },
    { validation: validationScores, stress: stressScores, pooled: selectionScores },
    selection.labels,
    stage,
    threshold,
    args.seed,
  );
  for (const line of stageEffect.lines) console.log(line);
  const validationBySlice = evaluateGroups(
    validationScores,
    data.validation.labels,
    data.validation.slices,
    SLICE_NAMES,
    threshold,
  );
  const table = (groups: Partial<Record<string, MetricSet>>, keys: readonly string[]) =>
    Object.entries(groups).map(([name, m]) => ({
      name,
      rows: keys.filter((k) => k === name).length,
      metrics: m as MetricSet,
    }));
  console.log(
    `\nthreshold ${threshold} (maximises F1 on validation and stress validation together, ${choice.floorsMet ? 'keeping' : 'NOT keeping (no threshold could)'} precision >= ${TARGETS.precision} on both pooled and recall >= ${TARGETS.recall} on every slice and budget type of each)\n`,
  );
  const validationMetrics = evaluate(validationScores, data.validation.labels, threshold);
  const stressMetrics = evaluate(stressScores, data.stress.labels, threshold);
  const stressBySlice = evaluateGroups(
    stressScores,
    data.stress.labels,
    data.stress.slices,
    SLICE_NAMES,
    threshold,
  );
  const byTypeValidation = evaluateGroups(
    validationScores,
    data.validation.labels,
    data.validation.groups,
    BUDGET_TYPE_GROUPS,
    threshold,
  );
  const stressByType = evaluateGroups(
    stressScores,
    data.stress.labels,
    data.stress.groups,
    BUDGET_TYPE_GROUPS,
    threshold,
  );
  if (args.validationOnly) {
    console.log(
      metricsTable([
        { name: 'validation', rows: data.validation.rows, metrics: validationMetrics },
        { name: 'stress', rows: data.stress.rows, metrics: stressMetrics },
      ]),
    );
    console.log(`\nvalidation by slice\n${metricsTable(table(validationBySlice, data.validation.slices))}`);
    console.log(`\nstress validation by slice\n${metricsTable(table(stressBySlice, data.stress.slices))}`);
    console.log(
      `\nvalidation by budget type\n${metricsTable(table(byTypeValidation, data.validation.groups))}`,
    );
    console.log(
      `\nstress validation by budget type\n${metricsTable(table(stressByType, data.stress.groups))}`,
    );
    // For error analysis of the validation split (train/explore-errors.ts): its scores, row by row.
    if (process.env.TRAIN_DUMP_VALIDATION) {
      writeFileSync(process.env.TRAIN_DUMP_VALIDATION, Buffer.from(validationScores.buffer));
    }
    const errors = errorsByKind(validationScores, data.validation, threshold);
    console.log(
      `\nvalidation: ${errors.missedCharges} missed charges (${errors.missedOutranked} scored higher against another budget); false positives by item kind ${JSON.stringify(errors.falsePositives)} (${errors.falsePositivesBelowOwn} booking charges scored higher against their own budget)`,
    );
    console.log(`\n--validation-only: the test set was not generated; nothing written (${elapsed()})`);
    return;
  }
  // The test set, scored once, at the validation threshold.
  const testScores = applyStageToRows(network(data.test), stage);
  const metrics = {
    validation: validationMetrics,
    stress: stressMetrics,
    test: evaluate(testScores, data.test.labels, threshold),
  };
  const bySlice = evaluateGroups(testScores, data.test.labels, data.test.slices, SLICE_NAMES, threshold);
  const byType = evaluateGroups(
    testScores,
    data.test.labels,
    data.test.groups,
    BUDGET_TYPE_GROUPS,
    threshold,
  );
  console.log(
    metricsTable([
      { name: 'validation', rows: data.validation.rows, metrics: metrics.validation },
      { name: 'stress', rows: data.stress.rows, metrics: metrics.stress },
      { name: 'test', rows: data.test.rows, metrics: metrics.test },
    ]),
  );
  console.log(`\ntest set by slice\n${metricsTable(table(bySlice, data.test.slices))}`);
  console.log(`\ntest set by budget type\n${metricsTable(table(byType, data.test.groups))}`);
  const errors = errorsByKind(testScores, data.test, threshold);
  console.log(
    `\ntest: ${errors.missedCharges} missed charges; false positives by item kind ${JSON.stringify(errors.falsePositives)}`,
  );
  const misses = targetMisses(metrics.test, bySlice, byType);
  console.log(
    misses.length === 0 ? '\nevery target of issue 12 is met' : `\ntargets missed: ${misses.join('; ')}`,
  );

  const golden = goldenRequests(fit.model, stage, split.validation, aliases);
  const evaluations: Record<string, MetricSet & { description?: string }> = {
    validation: {
      ...rounded(metrics.validation),
      description: 'validation split (the threshold is chosen on it and the stress set together)',
    },
    stress: {
      ...rounded(metrics.stress),
      description: `stress validation set (${STRESS_RANDOMISATION.name} randomisation, training brands and styles, seed of its own; the threshold is chosen on it and the validation split together)`,
    },
  };
  evaluations.validation_charges_absent = {
    ...rounded(stageEffect.absent),
    description: `validation split with each budget's charge absent at a share drawn per request from [0, 1] (the stage's robustness; seed of its own)`,
  };
  evaluations.validation_split_4 = {
    ...rounded(stageEffect.split),
    description:
      "validation split with each request's line items dealt into 4 requests, as a client splits a large one",
  };
  // Each grouping's metrics under `<prefix><group>`, described as `describe(group)`.
  const addGroups = (
    prefix: string,
    groups: Partial<Record<string, MetricSet>>,
    describe: (name: string) => string,
  ) => {
    for (const [name, m] of Object.entries(groups))
      if (m) evaluations[`${prefix}${name}`] = { ...rounded(m), description: describe(name) };
  };
  addGroups(
    'test_slice_',
    bySlice,
    (name) => `test set, slice ${name}: ${SLICE_DESCRIPTIONS[name as keyof typeof SLICE_DESCRIPTIONS]}`,
  );
  addGroups('test_type_', byType, (name) => `test set, budget type ${name}`);
  addGroups('validation_slice_', validationBySlice, (name) => `validation split, slice ${name}`);
  addGroups('stress_slice_', stressBySlice, (name) => `stress validation set, slice ${name}`);
  addGroups('validation_type_', byTypeValidation, (name) => `validation split, budget type ${name}`);
  addGroups('stress_type_', stressByType, (name) => `stress validation set, budget type ${name}`);

  const manifest = await saveArtifact(
    out,
    fit.model,
    {
      schema_version: 1,
      name: MODEL_NAME,
      version,
      purpose: PURPOSE,
      created_at: now.toISOString(),
      feature_spec: { version: FEATURE_SPEC_VERSION, hash: FEATURE_SPEC_HASH, names: [...FEATURE_NAMES] },
      training_data: {
        source: `train/generate-pairs.ts (generator "${TRAINING_GENERATOR.name}"; test: generator "${TEST_GENERATOR.name}", seed ${TEST_SET.seed})`,
        seed: args.seed,
        hash: rowsHash([data.train, data.validation, data.test]),
        rows: { train: data.train.rows, validation: data.validation.rows, test: data.test.rows },
        positives: {
          train: data.train.positives,
          validation: data.validation.positives,
          test: data.test.positives,
        },
        users: { train: split.train.length, validation: split.validation.length, test: testUsers.length },
      },
      code_revision: codeRevision(),
      hyperparameters: {
        architecture: `dense(${options.hiddenUnits}, relu) -> dense(1, sigmoid) -> reciprocal stage (${stage.version})`,
        hidden_units: options.hiddenUnits,
        optimizer: 'adam',
        learning_rate: options.learningRate,
        learning_rate_decay: `x${options.learningRateDecay} per epoch`,
        loss: 'binary_crossentropy',
        batch_size: options.batchSize,
        epochs: options.epochs,
        epochs_run: fit.history.length,
        early_stopping_patience: options.patience,
        best_epoch: fit.bestEpoch,
        kernel_initializer: 'glorot_uniform (seeded)',
        class_weight: fit.classWeight,
        prior_correction: fit.priorCorrection,
        threshold_rule: EVALUATION_RULES.threshold,
        // Whether the chosen threshold keeps every floor of the rule on both validation sets
        // (false: none could, and the threshold is the F1-best one).
        threshold_floors_met: choice.floorsMet,
        domain_randomisation: {
          training: randomisation,
          training_slice_centre: sliceCentre(TRAINING_GENERATOR, randomisation),
          stress: STRESS_RANDOMISATION,
          stress_users: stressUsers.length,
          stress_rows: data.stress.rows,
          stress_positives: data.stress.positives,
        },
        test_rule: EVALUATION_RULES.test,
        seed: args.seed,
        users: args.users,
        split: { train: 1 - SPLIT.validation, validation: SPLIT.validation, by: 'user' },
      },
      metrics: rounded(metrics.test),
      evaluations,
      threshold,
      golden,
      reciprocal_stage: {
        ...stage,
        fitted_on: `the network's scores of the training split (${data.train.rows} pairs, ${split.train.length} users) and of its requests again with each budget's charge absent at a share drawn per request from [0, ${ABSENT_SHARE_MAX}] (${stageFit.labels.length} pairs in all): maximum likelihood, Newton's method`,
      },
      vendor_aliases: {
        path: ALIAS_FILE,
        sha256: createHash('sha256').update(aliasBytes).digest('hex'),
        brands: aliases.brands.length,
      },
      runtime: { tfjs_version: tf.version_core, trained_on_backend: tf.getBackend() },
    },
    [{ path: ALIAS_FILE, bytes: aliasBytes }],
  );
  const seconds = (Date.now() - started) / 1000;
  const figures = writeFigures('model-slices', {
    command: `npm run train${args.updateDefault ? ' -- --update-default' : ''}`,
    figures: { version, threshold, seconds, test: rounded(metrics.test), bySlice, byType },
    tables: [
      {
        id: 'overall',
        ...figureTable([
          ['validation', metrics.validation],
          ['stress validation', metrics.stress],
          ['test', metrics.test],
        ]),
      },
      { id: 'slices', ...figureTable(Object.entries(bySlice) as Array<[string, MetricSet]>) },
      { id: 'types', ...figureTable(Object.entries(byType) as Array<[string, MetricSet]>) },
    ],
    notes: [
      `model ${version}, threshold ${threshold} (chosen on validation and stress validation together); the test set is ${TEST_SET.users} users of the "${TEST_GENERATOR.name}" generator, seed ${TEST_SET.seed}, scored once`,
      `trained in ${seconds.toFixed(0)} s (${fit.history.length} epochs, kept ${fit.bestEpoch})`,
      ...stageEffect.lines,
      misses.length === 0 ? 'every target of issue 12 is met' : `targets missed: ${misses.join('; ')}`,
    ],
  });
  console.log(
    `\nwrote ${out} (version ${manifest.version}, code ${manifest.code_revision}) and ${figures} in ${elapsed()}`,
  );
}

/** Which targets of issue 12 the test set misses, each named with its figure. */
function targetMisses(
  overall: MetricSet,
  bySlice: Partial<Record<string, MetricSet>>,
  byType: Partial<Record<string, MetricSet>>,
): string[] {
  const misses: string[] = [];
  if (overall.f1 < TARGETS.f1) misses.push(`F1 ${overall.f1.toFixed(4)} < ${TARGETS.f1}`);
  if (overall.average_precision < TARGETS.averagePrecision)
    misses.push(`AP ${overall.average_precision.toFixed(4)} < ${TARGETS.averagePrecision}`);
  if (overall.precision < TARGETS.precision)
    misses.push(`precision ${overall.precision.toFixed(4)} < ${TARGETS.precision}`);
  for (const [kind, groups] of [
    ['slice', bySlice],
    ['budget type', byType],
  ] as const) {
    for (const [name, m] of Object.entries(groups)) {
      if (m && m.recall < TARGETS.recall)
        misses.push(`recall of ${kind} ${name} ${m.recall.toFixed(4)} < ${TARGETS.recall}`);
    }
  }
  return misses;
}

function figureTable(rows: ReadonlyArray<readonly [string, MetricSet]>) {
  const f = (n: number) => Number(n.toFixed(4));
  return {
    columns: ['set', 'matches', 'precision', 'recall', 'F1', 'AP'],
    rows: rows.map(([name, m]) => [
      name,
      m.support.positives,
      f(m.precision),
      f(m.recall),
      f(m.f1),
      f(m.average_precision),
    ]),
  };
}

/**
 * The golden requests: the sample trip (`events/direct-invoke-trip.json`) and the three smallest
 * validation users with a match, each with the score of every pair as this model gives them.
 */
function goldenRequests(
  model: LayersModel,
  stage: ReciprocalStage,
  validation: readonly UserPairs[],
  aliases: VendorAliases,
): GoldenRequests {
  const trip = JSON.parse(
    readFileSync(resolve(__dirname, '..', 'events', 'direct-invoke-trip.json'), 'utf8'),
  );
  const small = [...validation]
    .filter((u) => u.labels.some((l) => l === 1))
    .sort((a, b) => a.labels.length - b.labels.length || (a.user < b.user ? -1 : 1))
    .filter((u) => u.labels.length >= 4)
    .slice(0, 3);
  const requests = [
    { name: 'trip', request: trip as unknown },
    ...small.map((u) => ({ name: `validation ${u.user}`, request: u.request as unknown })),
  ];
  return {
    tolerance: GOLDEN_TOLERANCE,
    requests: requests.map(({ name, request }) => {
      const { features, rows, items } = requestFeatures(parseRequest(request), new Normaliser(aliases));
      const network = scoreRows(model, features, rows);
      if (items > 0) applyReciprocalStage(network, rows / items, items, stage);
      const scores = Array.from(network, round6);
      return { name, request, scores };
    }),
  };
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
    average_precision: round6(m.average_precision),
  };
}

main().catch((error: unknown) => {
  // A bad command line gets its message; anything else is a bug and keeps its stack.
  if (error instanceof UsageError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});

/**
 * The groups the threshold's recall floor holds on (`chooseThresholdWithFloors`), for the rows of
 * `concatRows(validation, stress)`: each row's slice and its budget type, within its own set.
 */
function floorGroups(validation: PairRows, stress: PairRows): Int32Array[] {
  const slices = new Int32Array(validation.rows + stress.rows);
  const types = new Int32Array(validation.rows + stress.rows);
  for (const [set, rows] of [validation, stress].entries()) {
    const offset = set === 0 ? 0 : validation.rows;
    for (let i = 0; i < rows.rows; i++) {
      slices[offset + i] = set * SLICE_NAMES.length + SLICE_NAMES.indexOf(rows.slices[i] as SliceName);
      types[offset + i] =
        set * BUDGET_TYPE_GROUPS.length + BUDGET_TYPE_GROUPS.indexOf(rows.groups[i] as BudgetTypeGroup);
    }
  }
  return [slices, types];
}

/**
 * What the reciprocal stage does, on the validation sets only: the network alone and with the
 * stage, each at the F1-best threshold of the two sets pooled; and at the chosen threshold, the
 * validation split with budgets' charges absent (a share drawn per request from [0, 1]) and split
 * by line items into 4 requests, beside the network alone at its own pooled threshold.
 */
function stageEffectOn(
  network: { readonly validation: ScoredRequests; readonly stress: ScoredRequests },
  served: { readonly validation: Float32Array; readonly stress: Float32Array; readonly pooled: Float32Array },
  pooledLabels: Uint8Array,
  stage: ReciprocalStage,
  threshold: number,
  seed: number,
): { lines: string[]; absent: MetricSet; split: MetricSet } {
  const { validation, stress } = network;
  const pooledNetwork = new Float32Array(validation.scores.length + stress.scores.length);
  pooledNetwork.set(validation.scores);
  pooledNetwork.set(stress.scores, validation.scores.length);
  const networkThreshold = chooseThreshold(pooledNetwork, pooledLabels).threshold;
  const stagedThreshold = chooseThreshold(served.pooled, pooledLabels).threshold;
  const staged = (set: ScoredRequests) => applyStageToRows(set, stage);
  const f = (m: MetricSet) => `F1 ${m.f1.toFixed(4)} (precision ${m.precision.toFixed(4)})`;
  const absentSet = withChargesAbsent(validation, new Random(deriveSeed(seed, ABSENT_SALT, 1)), 1);
  const splitSet = splitByItems(validation, new Random(deriveSeed(seed, SPLIT_SALT)), 4);
  const absent = evaluate(staged(absentSet), absentSet.labels, threshold);
  const split = evaluate(staged(splitSet), splitSet.labels, threshold);
  // The network score from which a pair that nothing outranks is matched (its margins are 0).
  const { bias, logit: wL } = stage.weights;
  const loneMatch = 1 / (1 + Math.exp(-((Math.log(threshold / (1 - threshold)) - bias) / wL)));
  const lines = [
    `reciprocal stage: a pair that nothing outranks is matched from a network score of ${loneMatch.toFixed(4)} (the network alone's F1-best pooled threshold is ${networkThreshold.toFixed(4)})`,
    `reciprocal stage, validation sets, each at the F1-best threshold of the two pooled: network alone validation ${f(evaluate(validation.scores, validation.labels, networkThreshold))}, stress ${f(evaluate(stress.scores, stress.labels, networkThreshold))}; with the stage validation ${f(evaluate(served.validation, validation.labels, stagedThreshold))}, stress ${f(evaluate(served.stress, stress.labels, stagedThreshold))}`,
    `reciprocal stage, validation split varied (network alone at its pooled threshold; the model at its threshold): charges absent network ${f(evaluate(absentSet.scores, absentSet.labels, networkThreshold))}, model ${f(absent)}; split into 4 requests network ${f(evaluate(splitSet.scores, splitSet.labels, networkThreshold))}, model ${f(split)}`,
  ];
  return { lines, absent, split };
}
