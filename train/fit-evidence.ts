/**
 * `npx tsx train/fit-evidence.ts`: fits the weights of the pair evidence (`EVIDENCE_WEIGHTS` in
 * lambda/features/pair-features.ts) as a logistic regression on the TRAINING split of the default
 * training data (never validation or test), over the sparse pair columns the evidence reads, and
 * prints them rounded, to be pasted into the feature code (a change of them is a new feature spec).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import {
  EVIDENCE_COLUMNS,
  evidenceInputs,
  FEATURE_COUNT,
  FEATURE_INDEX,
  parseVendorAliases,
  VendorAliases,
} from '../lambda/features';
import { TRAINING_GENERATOR } from './eval-config';
import { generatePairs } from './generate-pairs';
import { pairRows } from './pair-rows';
import { DEFAULT_TRAIN_ARGS } from './parse-args';
import { splitUsers } from './split-users';

async function main(): Promise<void> {
  require('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  const aliases = new VendorAliases(
    parseVendorAliases(readFileSync(resolve(__dirname, 'vendor-aliases.json'), 'utf8')),
  );
  const { seed, users } = DEFAULT_TRAIN_ARGS;
  const split = splitUsers(generatePairs({ seed, users, generator: TRAINING_GENERATOR }), seed, {
    validation: 0.2,
    test: 0,
  });
  const rows = pairRows(split.train, aliases);
  const width = EVIDENCE_COLUMNS.length;
  const x = new Float32Array(rows.rows * width);
  const inputs = new Float64Array(width);
  for (let r = 0; r < rows.rows; r++) {
    evidenceInputs(rows.features, r * FEATURE_COUNT, inputs);
    for (let c = 0; c < width; c++) x[r * width + c] = inputs[c] as number;
  }
  const model = sequential();
  model.add(
    layers.dense({ inputShape: [width], units: 1, activation: 'sigmoid', kernelInitializer: 'zeros' }),
  );
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
  const xs = tf.tensor2d(x, [rows.rows, width]);
  const ys = tf.tensor2d(Float32Array.from(rows.labels), [rows.rows, 1]);
  await model.fit(xs, ys, { epochs: 4, batchSize: 2048, shuffle: true, verbose: 0 });
  const [kernel] = model.getWeights();
  const w = (kernel as tf.Tensor).dataSync();
  console.log(
    `fitted on ${rows.rows} training pairs (${rows.positives} matches); column ${FEATURE_INDEX.evidence}`,
  );
  console.log(EVIDENCE_COLUMNS.map((name, c) => `  ${name}: ${(w[c] as number).toFixed(2)},`).join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
