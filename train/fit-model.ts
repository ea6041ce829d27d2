import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayersModel, layers, sequential } from '@tensorflow/tfjs-layers';
import { FEATURE_COUNT } from '../lambda/features';
import { rocAuc } from './metrics';
import type { PairRows } from './pair-rows';
import { deriveSeed, Random } from './random';

/** Hyper-parameters of the matcher's MLP; all recorded in the manifest. */
export interface FitOptions {
  readonly seed: number;
  /** Serving scores every pair through this layer: its width is most of the model call's cost (`npm run bench`). */
  readonly hiddenUnits: number;
  readonly epochs: number;
  /** Stop after this many epochs without a lower validation log loss. */
  readonly patience: number;
  readonly batchSize: number;
  /** Adam's learning rate in the first epoch. */
  readonly learningRate: number;
  /** The learning rate is multiplied by this after every epoch (exponential decay). */
  readonly learningRateDecay: number;
}

/** What one epoch did, for the training log. */
export interface EpochLog {
  readonly epoch: number;
  readonly learningRate: number;
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

/** The MLP's variables: FEATURE_COUNT → dense(hidden, relu) → dense(1) (a logit). */
interface Weights {
  readonly kernel1: tf.Variable;
  readonly bias1: tf.Variable;
  readonly kernel2: tf.Variable;
  readonly bias2: tf.Variable;
}

/**
 * Trains the matcher: FEATURE_COUNT → dense(hidden, relu) → dense(1, sigmoid), Adam on binary
 * cross-entropy, in its own mini-batch loop: the rows shuffled by the seeded generator and the learning rate set
 * each epoch (it measured faster than `model.fit`, which builds each batch's tensors and
 * callbacks through the layers API, while it was written; no committed figure keeps that).
 * Reproducible for a seed on one backend: seeded Glorot initialisers, and the rows are shuffled
 * by the seeded generator each epoch rather than by TF.js (which would use `Math.random`).
 *
 * Matches are about 3% of pairs, so the loss weights the classes to contribute equally. That
 * inflates the odds of a match by w₊/w₋; after training the output bias is lowered by
 * log(w₊/w₋) (prior correction), so the score is again an estimate of the probability of a
 * match at the real class balance, as CONTRACT.md promises. The learning rate decays by
 * `learningRateDecay` each epoch; the weights of the epoch with the lowest validation log loss
 * are kept, in a TF.js layers model.
 */
export async function fitModel(
  train: PairRows,
  validation: PairRows,
  options: FitOptions,
  log: (epoch: EpochLog) => void = () => {},
): Promise<FitResult> {
  const weights = initialWeights(options);
  const variables = [weights.kernel1, weights.bias1, weights.kernel2, weights.bias2];
  const optimizer = tf.train.adam(options.learningRate);
  const negatives = train.rows - train.positives;
  const classWeight = {
    negative: train.rows / (2 * negatives),
    positive: train.rows / (2 * train.positives),
  };
  const priorCorrection = Math.log(classWeight.positive / classWeight.negative);

  const { batchSize } = options;
  const batchFeatures = new Float32Array(batchSize * FEATURE_COUNT);
  const batchLabels = new Float32Array(batchSize);
  const batchWeights = new Float32Array(batchSize);
  const history: EpochLog[] = [];
  let best: { epoch: number; loss: number; values: Float32Array[] } | undefined;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const started = Date.now();
    const learningRate = options.learningRate * options.learningRateDecay ** (epoch - 1);
    // Adam reads its rate at every step; the moments carry over from epoch to epoch.
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    const order = new Random(deriveSeed(options.seed, 0xe90c, epoch)).shuffle(
      Array.from({ length: train.rows }, (_, i) => i),
    );
    let lossSum = 0;
    let pending: tf.Scalar[] = [];
    for (let start = 0; start < train.rows; start += batchSize) {
      const n = Math.min(batchSize, train.rows - start);
      for (let r = 0; r < n; r++) {
        const from = order[start + r] as number;
        batchFeatures.set(
          train.features.subarray(from * FEATURE_COUNT, (from + 1) * FEATURE_COUNT),
          r * FEATURE_COUNT,
        );
        const label = train.labels[from] ?? 0;
        batchLabels[r] = label;
        batchWeights[r] = label === 1 ? classWeight.positive : classWeight.negative;
      }
      const cost = tf.tidy(() => {
        const xs = tf.tensor2d(batchFeatures.subarray(0, n * FEATURE_COUNT), [n, FEATURE_COUNT]);
        const ys = tf.tensor2d(batchLabels.subarray(0, n), [n, 1]);
        const ws = tf.tensor2d(batchWeights.subarray(0, n), [n, 1]);
        return optimizer.minimize(
          () => weightedLoss(logits(weights, xs), ys, ws),
          true,
          variables,
        ) as tf.Scalar;
      });
      pending.push(cost);
      // Reading a loss waits for the backend: read them a hundred batches at a time.
      if (pending.length >= 100) {
        lossSum += sumAndDispose(pending);
        pending = [];
      }
    }
    lossSum += sumAndDispose(pending);
    const scores = score(weights, validation, priorCorrection);
    const entry: EpochLog = {
      epoch,
      learningRate,
      trainLoss: lossSum / Math.ceil(train.rows / batchSize),
      validationLogLoss: logLoss(scores, validation.labels),
      validationAuc: rocAuc(scores, validation.labels),
      seconds: (Date.now() - started) / 1000,
    };
    history.push(entry);
    log(entry);
    if (!best || entry.validationLogLoss < best.loss) {
      best = {
        epoch,
        loss: entry.validationLogLoss,
        values: variables.map((v) => Float32Array.from(v.dataSync())),
      };
    }
    if (epoch - best.epoch >= options.patience) break;
  }
  if (!best) throw new Error('fitModel: epochs must be at least 1');
  const model = buildModel(options);
  const [kernel1, bias1, kernel2, bias2] = best.values as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const tensors = [
    tf.tensor2d(kernel1, [FEATURE_COUNT, options.hiddenUnits]),
    tf.tensor1d(bias1),
    tf.tensor2d(kernel2, [options.hiddenUnits, 1]),
    tf.tensor1d(bias2),
  ];
  model.setWeights(tensors);
  tf.dispose(tensors);
  tf.dispose(variables);
  optimizer.dispose();
  shiftOutputBias(model, -priorCorrection);
  return { model, classWeight, priorCorrection, bestEpoch: best.epoch, history };
}

function initialWeights(options: FitOptions): Weights {
  const units = options.hiddenUnits;
  const glorot = (seed: number, shape: [number, number]) =>
    tf.variable(initializers.glorotUniform({ seed }).apply(shape) as tf.Tensor2D);
  return {
    kernel1: glorot(deriveSeed(options.seed, 1), [FEATURE_COUNT, units]),
    bias1: tf.variable(tf.zeros([units])),
    kernel2: glorot(deriveSeed(options.seed, 2), [units, 1]),
    bias2: tf.variable(tf.zeros([1])),
  };
}

/** The output logit of every row of `xs`. */
function logits(w: Weights, xs: tf.Tensor2D): tf.Tensor2D {
  const hidden = tf.relu(tf.add(tf.matMul(xs, w.kernel1), w.bias1));
  return tf.add(tf.matMul(hidden, w.kernel2), w.bias2) as tf.Tensor2D;
}

/**
 * The class-weighted binary cross-entropy of logits `z` for labels `y`, in its stable form
 * max(z, 0) − z·y + log(1 + e^−|z|), averaged over the rows.
 */
function weightedLoss(z: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): tf.Scalar {
  const perRow = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(z))))));
  return tf.mean(tf.mul(perRow, w));
}

function sumAndDispose(scalars: tf.Scalar[]): number {
  if (scalars.length === 0) return 0;
  const total = tf.tidy(() => tf.addN(scalars).dataSync()[0] ?? 0);
  tf.dispose(scalars);
  return total;
}

/** Validation scores with the prior correction applied (as {@link shiftOutputBias} will). */
function score(w: Weights, rows: PairRows, shift: number): Float32Array {
  const out = new Float32Array(rows.rows);
  const chunk = 65_536;
  for (let start = 0; start < rows.rows; start += chunk) {
    const end = Math.min(rows.rows, start + chunk);
    const values = tf.tidy(() => {
      const xs = tf.tensor2d(rows.features.subarray(start * FEATURE_COUNT, end * FEATURE_COUNT), [
        end - start,
        FEATURE_COUNT,
      ]);
      return tf.sigmoid(tf.sub(logits(w, xs), shift)).dataSync();
    });
    out.set(values, start);
  }
  return out;
}

function buildModel(options: FitOptions): LayersModel {
  const model = sequential({ name: 'budget_expense_matcher' });
  model.add(
    layers.dense({
      name: 'hidden',
      inputShape: [FEATURE_COUNT],
      units: options.hiddenUnits,
      activation: 'relu',
    }),
  );
  model.add(layers.dense({ name: 'match_probability', units: 1, activation: 'sigmoid' }));
  return model;
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
