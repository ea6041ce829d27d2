import { type GeneratorConfig, SLICE_NAMES, type SliceName } from './eval-config';
import type { Random } from './random';

/**
 * Domain randomisation of the training generator: each simulated user (a traveller, whose card
 * feed and filing habits are their own) draws its own generator configuration around a base one,
 * so that the model sees many mixes of slices, descriptor styles and field damage instead of one.
 * Only the *amounts* of things the base configuration already has are varied: the brands stay
 * the base's (`training`: the held-out brands never appear) and a descriptor style the base does
 * not use is never added (its weight stays absent), so the held-out test keeps what it holds out.
 *
 * The ranges are chosen on principle, not fitted to any set:
 * - we do not know the slice mix of a real client, so each user's mix is drawn from a Dirichlet
 *   centred on our guess (the base shares), with concentration
 *   {@link DomainRandomisation.sliceConcentration} (a centre moved half-way to equal shares, a
 *   hedge towards ignorance, measured no better on validation and was left out);
 * - a descriptor style's share differs from issuer to issuer by up to a factor of three either
 *   way, so each weight is multiplied by a log-uniform factor in [1/3, 3];
 * - a client feed may be twice as clean as a good day's or several times as broken (damage only
 *   grows without bound in bad feeds), so every field-damage rate is multiplied by one log-uniform
 *   factor in [0.5, 4] per user.
 */
export interface DomainRandomisation {
  readonly name: string;
  /** Weight of equal shares in the centre of the slice Dirichlet (0: the base shares). */
  readonly sliceTowardsUniform: number;
  /** Dirichlet concentration of a user's slice shares: the higher, the closer to the centre. */
  readonly sliceConcentration: number;
  /** Each descriptor weight is multiplied by a log-uniform factor in [1/f, f]. */
  readonly descriptorFactor: number;
  /** Every field-damage rate is multiplied by one log-uniform factor in this range. */
  readonly messScale: readonly [number, number];
  /** Share of the `clean` slice's centre moved to the other slices, in proportion (stress). */
  readonly cleanCut: number;
}

/**
 * The randomisation training data is drawn with. Concentration 20: a slice of share p varies
 * with a standard deviation of about sqrt(p(1 − p)/21), so a 12 % slice ranges from near 0 to
 * about 30 % across users: a user's mix may stray from the centre by about its own size.
 */
export const TRAINING_RANDOMISATION: DomainRandomisation = {
  name: 'training',
  sliceTowardsUniform: 0,
  sliceConcentration: 20,
  descriptorFactor: 3,
  messScale: [0.5, 4],
  cleanCut: 0,
};

/**
 * The stress validation set's randomisation: the training ranges at their hard end. The damage
 * factor is drawn from the upper half (in log terms) of the training range; the slice centre is
 * moved half-way to equal shares and then half of the clean slice's share goes to the other
 * slices. Only training brands and styles; another seed.
 */
export const STRESS_RANDOMISATION: DomainRandomisation = {
  ...TRAINING_RANDOMISATION,
  name: 'stress',
  sliceTowardsUniform: 0.5,
  messScale: [Math.sqrt(0.5 * 4), 4],
  cleanCut: 0.5,
};

/**
 * A configuration for one user, drawn around `base` with `rng` (the user's own stream, so that a
 * user's data depends only on the seed and the user's number).
 *
 * @example
 * const config = randomiseGenerator(TRAINING_GENERATOR, rng.fork(3), TRAINING_RANDOMISATION);
 */
export function randomiseGenerator(
  base: GeneratorConfig,
  rng: Random,
  randomisation: DomainRandomisation,
): GeneratorConfig {
  const centre = sliceCentre(base, randomisation);
  const draws = SLICE_NAMES.map((s) =>
    gamma(rng, Math.max(1e-3, randomisation.sliceConcentration * centre[s])),
  );
  const total = draws.reduce((a, b) => a + b, 0);
  const sliceShares = Object.fromEntries(SLICE_NAMES.map((s, i) => [s, (draws[i] ?? 0) / total])) as Record<
    SliceName,
    number
  >;
  const jitter = <K extends string>(weights: Readonly<Partial<Record<K, number>>>) =>
    Object.fromEntries(
      (Object.entries(weights) as Array<[K, number]>).map(([k, w]) => [
        k,
        w * rng.logUniform(1 / randomisation.descriptorFactor, randomisation.descriptorFactor),
      ]),
    ) as Partial<Record<K, number>>;
  const scale = rng.logUniform(randomisation.messScale[0], randomisation.messScale[1]);
  const m = base.messRates;
  return {
    name: `${base.name}~${randomisation.name}`,
    brands: base.brands,
    sliceShares,
    plainDescriptors: jitter(base.plainDescriptors),
    noisyDescriptors: jitter(base.noisyDescriptors),
    messRates: {
      absent: m.absent * scale,
      nulls: m.nulls * scale,
      empty: m.empty * scale,
      wrongType: m.wrongType * scale,
    },
  };
}

/** The centre of a user's slice shares: the base shares, moved towards equal shares and off `clean`. */
export function sliceCentre(base: GeneratorConfig, r: DomainRandomisation): Record<SliceName, number> {
  const uniform = 1 / SLICE_NAMES.length;
  const mixed = SLICE_NAMES.map(
    (s) => (1 - r.sliceTowardsUniform) * base.sliceShares[s] + r.sliceTowardsUniform * uniform,
  );
  const cleanIndex = SLICE_NAMES.indexOf('clean');
  const moved = (mixed[cleanIndex] ?? 0) * r.cleanCut;
  const rest = 1 - (mixed[cleanIndex] ?? 0);
  return Object.fromEntries(
    SLICE_NAMES.map((s, i) => {
      const share = mixed[i] ?? 0;
      return [s, i === cleanIndex ? share - moved : share + (moved * share) / rest];
    }),
  ) as Record<SliceName, number>;
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 by the boost U^(1/shape)). */
export function gamma(rng: Random, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * (1 - rng.next()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A standard normal draw (Box–Muller). */
function normal(rng: Random): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
