// Multinomial logistic regression on the message features (src/agent/offline/features.ts), trained
// by full-batch Adam with L2, every class weighted to count equally. Deterministic: no shuffling, no
// randomness, so the same examples give the same model file.
import { featureVector, softmax, type IntentModelData } from '../../src/agent/offline/intentModel.ts';
import type { Example } from './examples.ts';

export interface TrainOptions {
  iterations?: number;
  learningRate?: number;
  l2?: number;
  /** Weights smaller than this are left out of the shipped file. */
  prune?: number;
}

export function train(examples: readonly Example[], classes: readonly string[], opts: TrainOptions = {}): IntentModelData {
  const iterations = opts.iterations ?? 300;
  const lr = opts.learningRate ?? 0.05;
  const l2 = opts.l2 ?? 1e-4;
  const index = new Map<string, number>();
  const rows = examples.map((e) => {
    const v = featureVector(e.text);
    const feats: [number, number][] = [];
    for (const [k, x] of v) {
      let i = index.get(k);
      if (i === undefined) index.set(k, (i = index.size));
      feats.push([i, x]);
    }
    return { feats, y: classes.indexOf(e.intent) };
  });
  if (rows.some((r) => r.y < 0)) throw new Error('an example has an intent that is not a class');
  const K = classes.length;
  const F = index.size;
  const perClass = classes.map((_, c) => rows.filter((r) => r.y === c).length);
  const weightOf = (c: number) => rows.length / (K * Math.max(1, perClass[c]!));
  const W = new Float64Array(F * K);
  const b = new Float64Array(K);
  // Adam state.
  const mW = new Float64Array(F * K);
  const vW = new Float64Array(F * K);
  const mb = new Float64Array(K);
  const vb = new Float64Array(K);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  const gW = new Float64Array(F * K);
  const gb = new Float64Array(K);
  for (let t = 1; t <= iterations; t++) {
    gW.fill(0);
    gb.fill(0);
    let total = 0;
    for (const r of rows) {
      const logits = Array.from(b);
      for (const [i, x] of r.feats) for (let c = 0; c < K; c++) logits[c]! += W[i * K + c]! * x;
      const p = softmax(logits);
      const w = weightOf(r.y);
      total += w;
      for (let c = 0; c < K; c++) {
        const d = w * (p[c]! - (c === r.y ? 1 : 0));
        gb[c]! += d;
        for (const [i, x] of r.feats) gW[i * K + c]! += d * x;
      }
    }
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let j = 0; j < W.length; j++) {
      const g = gW[j]! / total + l2 * W[j]!;
      mW[j] = beta1 * mW[j]! + (1 - beta1) * g;
      vW[j] = beta2 * vW[j]! + (1 - beta2) * g * g;
      W[j]! -= (lr * (mW[j]! / c1)) / (Math.sqrt(vW[j]! / c2) + eps);
    }
    for (let c = 0; c < K; c++) {
      const g = gb[c]! / total;
      mb[c] = beta1 * mb[c]! + (1 - beta1) * g;
      vb[c] = beta2 * vb[c]! + (1 - beta2) * g * g;
      b[c]! -= (lr * (mb[c]! / c1)) / (Math.sqrt(vb[c]! / c2) + eps);
    }
  }
  const prune = opts.prune ?? 0.05;
  const weights: IntentModelData['weights'] = {};
  for (const [feature, i] of [...index].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const kept: [number, number][] = [];
    for (let c = 0; c < K; c++) {
      const w = W[i * K + c]!;
      if (Math.abs(w) >= prune) kept.push([c, Math.round(w * 1000) / 1000]);
    }
    if (kept.length) weights[feature] = kept;
  }
  return { classes: [...classes], bias: Array.from(b, (x) => Math.round(x * 1000) / 1000), weights };
}
