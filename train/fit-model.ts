import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayersModel, layers, sequential } from '@tensorflow/tfjs-layers';
import { FEATURE_COUNT } from '../lambda/features';
import { rocAuc } from './metrics';
import type { PairRows } from './pair-rows';
import { deriveSeed, Random } from './random';
import { scoreRows } from './score-rows';

/** Hyper-parameters of the matcher's MLP; all recorded in the manifest. */
export interface FitOptions {
  readonly seed: number;
  /** @default 16: serving must score about a million pairs a second (README benchmarks). */
  readonly hiddenUnits: number;
  readonly epochs: number;
  /** Stop after this many epochs without a lower validation log loss. */
  readonly patience: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

/** What one epoch did, for the training log. */
export interface EpochLog {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationLogLoss: number;
  readonly validationAuc: number;
  readonly seconds: number;
}

/** A fitted model and how it got there. */
export interface FitResult {
  readonly model: LayersModel;
  /** Class weights of the loss: each class contributes half of it. */
  readonly classWeight: { readonly negative: number; readonly positive: number };
  /** The logit shift removed from the output bias after training (see {@link fitModel}). */
  readonly priorCorrection: number;
  /** The epoch whose weights were kept (lowest validation log loss), 1-based. */
  readonly bestEpoch: number;
  readonly history: readonly EpochLog[];
}

/**
 * Trains the matcher: FEATURE_COUNT → dense(hidden, relu) → dense(1, sigmoid), Adam on binary
 * cross-entropy. Reproducible for a seed on one backend: seeded Glorot initialisers, and the
 * rows are shuffled by the seeded generator each epoch rather than by TF.js (which would use
 * `Math.random`).
 *
 * Matches are about 3% of pairs, so the loss weights the classes to contribute equally. That
 * inflates the odds of a match by w₊/w₋; after training the output bias is lowered by
 * log(w₊/w₋) (prior correction), so the score is again an estimate of the probability of a
 * match at the real class balance, as CONTRACT.md promises. The weights of the epoch with the
 * lowest validation log loss are kept.
 */
export async function fitModel(
  train: PairRows,
  validation: PairRows,
  options: FitOptions,
  log: (epoch: EpochLog) => void = () => {},
): Promise<FitResult> {
  const model = buildModel(options);
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'binaryCrossentropy' });
  const negatives = train.rows - train.positives;
  const classWeight = {
    negative: train.rows / (2 * negatives),
    positive: train.rows / (2 * train.positives),
  };
  const priorCorrection = Math.log(classWeight.positive / classWeight.negative);

  const history: EpochLog[] = [];
  let best: { epoch: number; loss: number; weights: tf.Tensor[] } | undefined;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const started = Date.now();
    const { features, labels } = shuffled(train, new Random(deriveSeed(options.seed, 0xe90c, epoch)));
    const xs = tf.tensor2d(features, [train.rows, FEATURE_COUNT]);
    const ys = tf.tensor2d(labels, [train.rows, 1]);
    const fitted = await model.fit(xs, ys, {
      epochs: 1,
      batchSize: options.batchSize,
      shuffle: false,
      verbose: 0,
      classWeight: { 0: classWeight.negative, 1: classWeight.positive },
    });
    tf.dispose([xs, ys]);
    const scores = corrected(scoreRows(model, validation.features, validation.rows), priorCorrection);
    const entry: EpochLog = {
      epoch,
      trainLoss: Number(fitted.history.loss?.[0] ?? Number.NaN),
      validationLogLoss: logLoss(scores, validation.labels),
      validationAuc: rocAuc(scores, validation.labels),
      seconds: (Date.now() - started) / 1000,
    };
    history.push(entry);
    log(entry);
    if (!best || entry.validationLogLoss < best.loss) {
      if (best) tf.dispose(best.weights);
      best = { epoch, loss: entry.validationLogLoss, weights: model.getWeights().map((w) => w.clone()) };
    }
    if (epoch - best.epoch >= options.patience) break;
  }
  if (!best) throw new Error('fitModel: epochs must be at least 1');
  model.setWeights(best.weights);
  tf.dispose(best.weights);
  shiftOutputBias(model, -priorCorrection);
  return { model, classWeight, priorCorrection, bestEpoch: best.epoch, history };
}

function buildModel(options: FitOptions): LayersModel {
  const model = sequential({ name: 'budget_expense_matcher' });
  model.add(
    layers.dense({
      name: 'hidden',
      inputShape: [FEATURE_COUNT],
      units: options.hiddenUnits,
      activation: 'relu',
      kernelInitializer: initializers.glorotUniform({ seed: deriveSeed(options.seed, 1) }),
    }),
  );
  model.add(
    layers.dense({
      name: 'match_probability',
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: initializers.glorotUniform({ seed: deriveSeed(options.seed, 2) }),
    }),
  );
  return model;
}

/** A copy of the rows in a seeded random order. */
function shuffled(rows: PairRows, rng: Random): { features: Float32Array; labels: Float32Array } {
  const order = rng.shuffle(Array.from({ length: rows.rows }, (_, i) => i));
  const features = new Float32Array(rows.features.length);
  const labels = new Float32Array(rows.rows);
  order.forEach((from, to) => {
    features.set(
      rows.features.subarray(from * FEATURE_COUNT, (from + 1) * FEATURE_COUNT),
      to * FEATURE_COUNT,
    );
    labels[to] = rows.labels[from] ?? 0;
  });
  return { features, labels };
}

/** Adds `shift` to the output layer's bias: a shift of the logit of every score. */
function shiftOutputBias(model: LayersModel, shift: number): void {
  const output = model.getLayer('match_probability');
  const [kernel, bias] = output.getWeights();
  if (!kernel || !bias) throw new Error('the output layer has no kernel and bias');
  // getWeights() hands out the layer's own variables: only the new tensor is ours to dispose.
  const shifted = tf.add(bias, shift);
  output.setWeights([kernel, shifted]);
  shifted.dispose();
}

/** Scores with `shift` taken off their logit, as {@link shiftOutputBias} will do to the model. */
function corrected(scores: Float32Array, shift: number): Float32Array {
  return scores.map((p) => {
    const logit = Math.log(p / (1 - p)) - shift;
    return 1 / (1 + Math.exp(-logit));
  });
}

/** Mean binary cross-entropy, with scores clipped as Keras does. */
export function logLoss(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const eps = 1e-7;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, scores[i] as number));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / scores.length;
}
