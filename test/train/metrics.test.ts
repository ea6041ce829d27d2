import {
  averagePrecision,
  chooseThreshold,
  chooseThresholdWithFloors,
  confusion,
  evaluate,
  evaluateGroups,
  f1,
  precision,
  recall,
  rocAuc,
} from '../../train/metrics';

describe('confusion, precision, recall, f1', () => {
  // Six rows worked by hand at threshold 0.5 (a match when score >= 0.5):
  //   0.9 → 1 tp, 0.8 → 0 fp, 0.5 → 1 tp (on the threshold counts), 0.4 → 1 fn, 0.2 → 0 tn, 0.1 → 0 tn
  const scores = [0.9, 0.8, 0.5, 0.4, 0.2, 0.1];
  const labels = [1, 0, 1, 1, 0, 0];

  it('counts each outcome, a score equal to the threshold being a match', () => {
    const c = confusion(scores, labels, 0.5);

    expect(c).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
  });

  it('computes precision 2/3, recall 2/3 and F1 2/3', () => {
    const c = confusion(scores, labels, 0.5);

    expect(precision(c)).toBeCloseTo(2 / 3, 12);
    expect(recall(c)).toBeCloseTo(2 / 3, 12);
    expect(f1(c)).toBeCloseTo(2 / 3, 12);
  });

  it('gives F1 as the harmonic mean when precision and recall differ', () => {
    // threshold 0.3: tp 3, fp 1, fn 0 → precision 3/4, recall 1, F1 = 2·(3/4)·1 / (3/4 + 1) = 6/7
    const c = confusion(scores, labels, 0.3);

    expect(c).toEqual({ tp: 3, fp: 1, tn: 2, fn: 0 });
    expect(precision(c)).toBeCloseTo(0.75, 12);
    expect(recall(c)).toBe(1);
    expect(f1(c)).toBeCloseTo(6 / 7, 12);
  });

  it('is 0, not NaN, when nothing is predicted or nothing is positive', () => {
    const none = confusion([0.1, 0.2], [1, 0], 0.9);
    const noPositives = confusion([0.1, 0.2], [0, 0], 0.5);

    expect(precision(none)).toBe(0);
    expect(recall(noPositives)).toBe(0);
    expect(f1({ tp: 0, fp: 0, tn: 5, fn: 0 })).toBe(0);
  });

  it('refuses scores and labels of different lengths', () => {
    expect(() => confusion([0.1], [1, 0], 0.5)).toThrow(/same rows/);
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
  });

  it('counts a tie between a positive and a negative as one half', () => {
    // Pairs (positive, negative): (0.9, 0.5) win, (0.9, 0.1) win, (0.5, 0.5) tie, (0.5, 0.1) win
    // → (3 + 0.5) / 4 = 0.875
    expect(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBeCloseTo(0.875, 12);
  });

  it('is 0.5 when every score is the same', () => {
    expect(rocAuc([0.3, 0.3, 0.3, 0.3, 0.3], [1, 0, 1, 0, 0])).toBeCloseTo(0.5, 12);
  });

  it('matches the pair count on an unordered example', () => {
    // Positives 0.7, 0.4; negatives 0.6, 0.4, 0.2.
    // 0.7 beats all three (3); 0.4 beats 0.2 (1) and ties 0.4 (0.5) → 4.5 / 6 = 0.75
    expect(rocAuc([0.6, 0.7, 0.4, 0.2, 0.4], [0, 1, 1, 0, 0])).toBeCloseTo(0.75, 12);
  });

  it('is NaN when a class is absent', () => {
    expect(rocAuc([0.2, 0.4], [0, 0])).toBeNaN();
    expect(rocAuc([0.2, 0.4], [1, 1])).toBeNaN();
  });
});

describe('chooseThresholdWithFloors', () => {
  // Sorted: 0.9(1,g0) 0.8(0) 0.6(1,g0) 0.4(0) 0.3(1,g1) 0.2(0) 0.1(1,g1); 4 positives, 2 a group.
  const scores = [0.9, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1];
  const labels = [1, 0, 1, 0, 1, 0, 1];
  const groups = Int32Array.of(0, -1, 0, -1, 1, -1, 1);

  it('is the F1-best cut when that cut keeps every floor', () => {
    const free = chooseThreshold(scores, labels);
    const floored = chooseThresholdWithFloors(scores, labels, [groups], {
      recallFloor: 0,
      precisionFloor: 0,
    });

    expect(floored).toEqual({ ...free, floorsMet: true });
  });

  it('lowers the threshold until every group keeps its recall floor', () => {
    // Free: below 0.8 gives tp3 fp0 fn1 → 6/7 (best), below 0.3 tp4 fp3 → 8/11; group 1's one match
    // is at 0.3, so a recall floor of 0.5 takes the cut below it.
    const s2 = [0.9, 0.85, 0.8, 0.5, 0.45, 0.4, 0.3];
    const l2 = [1, 1, 1, 0, 0, 0, 1];
    const g2 = Int32Array.of(0, 0, 0, -1, -1, -1, 1);
    expect(chooseThreshold(s2, l2).threshold).toBeCloseTo(0.65, 12);
    const floored = chooseThresholdWithFloors(s2, l2, [g2], { recallFloor: 0.5, precisionFloor: 0 });
    expect(floored.floorsMet).toBe(true);
    expect(floored.threshold).toBeCloseTo(0.15, 12);
    expect(floored.f1).toBeCloseTo(8 / 11, 12);
  });

  it('keeps the precision floor and the recall floors together', () => {
    // Without floors: below 0.6 gives tp2 fp1 fn2 → 4/7; below 0.3 tp3 fp2 fn1 → 6/9; below 0.1
    // tp4 fp3 → 8/11 (best); group 1's recall floor of 0.5 holds only from the cut below 0.3 down.
    const halfOfEach = chooseThresholdWithFloors(scores, labels, [groups], {
      recallFloor: 0.5,
      precisionFloor: 0,
    });
    expect(halfOfEach.floorsMet).toBe(true);
    expect(halfOfEach.threshold).toBeCloseTo(0.05, 12);
    // With a precision floor of 0.6 the cut below 0.1 (4 of 7) is out; below 0.3 (3 of 5) keeps both floors.
    const precise = chooseThresholdWithFloors(scores, labels, [groups], {
      recallFloor: 0.5,
      precisionFloor: 0.6,
    });
    expect(precise.floorsMet).toBe(true);
    expect(precise.threshold).toBeCloseTo(0.25, 12);
    expect(precise.f1).toBeCloseTo(6 / 9, 12);
  });

  it('says so, and falls back to the F1-best cut, when no threshold keeps every floor', () => {
    const choice = chooseThresholdWithFloors(scores, labels, [groups], {
      recallFloor: 1,
      precisionFloor: 0.9,
    });

    expect(choice).toEqual({ ...chooseThreshold(scores, labels), floorsMet: false });
  });

  it('holds every grouping at once (a row counts in each)', () => {
    const types = Int32Array.of(0, -1, 1, -1, 0, -1, 1);
    const both = chooseThresholdWithFloors(scores, labels, [groups, types], {
      recallFloor: 0.5,
      precisionFloor: 0.6,
    });
    // Below 0.3: group 1 has 1 of 2, type 0 has 2 of 2, type 1 has 1 of 2: all floors kept.
    expect(both).toEqual({
      threshold: expect.closeTo(0.25, 12),
      f1: expect.closeTo(6 / 9, 12),
      floorsMet: true,
    });
  });

  it('holds a later grouping that alone needs a lower cut than the first', () => {
    // Sorted: 0.9 0.85 0.8 (1) 0.5 0.45 0.4 (0) 0.3 (1). Slices: every match in slice 0, so below
    // 0.8 keeps its 0.5 floor (3 of 4; F1 6/7, the best). Types: the match at 0.3 is type 1's
    // only one, so its floor takes the cut below 0.3 (tp4 fp3: 8/11); ignoring the second
    // grouping would give 0.65.
    const s2 = [0.9, 0.85, 0.8, 0.5, 0.45, 0.4, 0.3];
    const l2 = [1, 1, 1, 0, 0, 0, 1];
    const slices = Int32Array.of(0, 0, 0, -1, -1, -1, 0);
    const types = Int32Array.of(0, 0, 0, -1, -1, -1, 1);
    const floors = { recallFloor: 0.5, precisionFloor: 0 };

    expect(chooseThresholdWithFloors(s2, l2, [slices], floors).threshold).toBeCloseTo(0.65, 12);
    expect(chooseThresholdWithFloors(s2, l2, [slices, types], floors)).toEqual({
      threshold: expect.closeTo(0.15, 12),
      f1: expect.closeTo(8 / 11, 12),
      floorsMet: true,
    });
  });
});

describe('chooseThreshold', () => {
  it('cuts in the middle of the gap that separates the classes', () => {
    expect(chooseThreshold([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0])).toEqual({ threshold: 0.55, f1: 1 });
  });

  it('maximises F1 when no cut is perfect', () => {
    // Sorted: 0.9(1) 0.7(0) 0.6(1) 0.4(1) 0.2(0); 3 positives.
    // cut below 0.9: tp1 fp0 fn2 → 2/5;  below 0.7: tp1 fp1 fn2 → 2/6;
    // below 0.6: tp2 fp1 fn1 → 4/6;  below 0.4: tp3 fp1 fn0 → 6/7 (best);  below 0.2: tp3 fp2 → 6/8
    const choice = chooseThreshold([0.6, 0.9, 0.2, 0.4, 0.7], [1, 1, 0, 1, 0]);

    expect(choice.f1).toBeCloseTo(6 / 7, 12);
    expect(choice.threshold).toBeCloseTo(0.3, 12);
  });

  it('never splits tied scores, and prefers the higher threshold among equal F1s', () => {
    // The tie at 0.5 (one positive, one negative) is either all in or all out:
    // above it: tp1 fp0 fn1 → 2/3; with it: tp2 fp1 fn0 → 4/5 (best).
    const choice = chooseThreshold([0.8, 0.5, 0.5, 0.1], [1, 1, 0, 0]);

    expect(choice).toEqual({ threshold: 0.3, f1: 0.8 });
    // Sorted 0.9(1) 0.6(0) 0.5(0) 0.3(1): cutting below 0.9 gives tp1 fn1 → 2/3, below 0.3 gives
    // tp2 fp2 → 4/6 = 2/3 too (the cuts between are worse); the higher one wins.
    const tie = chooseThreshold([0.9, 0.6, 0.5, 0.3], [1, 0, 0, 1]);
    expect(tie.f1).toBeCloseTo(2 / 3, 12);
    expect(tie.threshold).toBeCloseTo(0.75, 12);
  });

  it('gives a threshold that reproduces its F1 with the serving rule', () => {
    const scores = [0.95, 0.81, 0.77, 0.64, 0.5, 0.33, 0.31, 0.12, 0.05];
    const labels = [1, 1, 0, 1, 0, 1, 0, 0, 0];

    const choice = chooseThreshold(scores, labels);

    expect(f1(confusion(scores, labels, choice.threshold))).toBeCloseTo(choice.f1, 12);
  });
});

describe('evaluate', () => {
  it('reports every metric and the support at the threshold', () => {
    const m = evaluate([0.9, 0.8, 0.5, 0.4, 0.2, 0.1], [1, 0, 1, 1, 0, 0], 0.5);

    expect(m.threshold).toBe(0.5);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    // Positives 0.9, 0.5, 0.4 vs negatives 0.8, 0.2, 0.1: 0.9 wins 3, 0.5 wins 2, 0.4 wins 2 → 7/9
    expect(m.roc_auc).toBeCloseTo(7 / 9, 12);
    expect(m.support).toEqual({ positives: 3, negatives: 3 });
  });
});

describe('averagePrecision and evaluateGroups', () => {
  it('averages the precision at each positive, tied scores as one step', () => {
    expect(averagePrecision([0.9, 0.8, 0.7], [1, 0, 1])).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(averagePrecision([0.5, 0.5, 0.1], [1, 0, 1])).toBeCloseTo((0.5 + 2 / 3) / 2, 12);
    expect(averagePrecision([0.2, 0.1], [0, 0])).toBeNaN();
  });

  it('evaluates each group of rows on its own, at one threshold, in the order named', () => {
    const groups = evaluateGroups(
      [0.9, 0.2, 0.8, 0.6],
      [1, 0, 0, 1],
      ['a', 'a', 'b', 'b'],
      ['b', 'a', 'c'],
      0.5,
    );

    expect(Object.keys(groups)).toEqual(['b', 'a']);
    expect(groups.a).toMatchObject({ precision: 1, recall: 1, support: { positives: 1, negatives: 1 } });
    expect(groups.b).toMatchObject({ precision: 0.5, recall: 1, average_precision: 0.5 });
  });
});
