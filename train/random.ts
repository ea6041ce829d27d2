/**
 * A small seeded pseudo-random source (mulberry32). Training data, splits and shuffles all draw
 * from it, so one `--seed` reproduces a run exactly; `Math.random` is never used in `train/`.
 *
 * @example
 * const rng = new Random(42);
 * rng.pick(['flight', 'hotel']); // the same answer for seed 42, every run
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that nearby seeds (1, 2, 3) start far apart.
    this.state = mix32(seed >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** A float whose logarithm is uniform in [log min, log max): prices, lead times. */
  logUniform(min: number, max: number): number {
    return Math.exp(this.float(Math.log(min), Math.log(max)));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. Throws on an empty list (a bug in the caller's tables). */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One value of `[value, weight]` entries, with probability proportional to its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of entries) {
      r -= weight;
      if (r < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new Error('Random.weighted: empty list');
    return last[0];
  }

  /** A string of `n` decimal digits (reference, ticket and store numbers). */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const a = items[i] as T;
      items[i] = items[j] as T;
      items[j] = a;
    }
    return items;
  }

  /**
   * An independent stream derived from this one's seed and `salt`, so that one part of the
   * generator (say, the messy-value noise) can change without shifting every other draw.
   */
  fork(salt: number): Random {
    return new Random(mix32((this.state ^ Math.imul(salt, 0x9e3779b1)) >>> 0));
  }
}

/**
 * A seed for a part of a run (one simulated user, one split) from the run's seed and the part's
 * numbers: each user gets its own stream, so generating 3,000 users or 300 gives the first 300
 * the same data.
 */
export function deriveSeed(seed: number, ...parts: readonly number[]): number {
  let h = mix32(seed >>> 0);
  for (const part of parts) h = mix32((h ^ Math.imul(part >>> 0, 0x9e3779b1)) >>> 0);
  return h;
}

/** A 32-bit integer hash (murmur3's finaliser). */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
