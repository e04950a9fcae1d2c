// The learned part of the offline model's understanding: a multinomial logistic regression over the
// message's features (features.ts), trained at build time (scripts/train-intents.ts: `npm run
// train:intents`) on the hand-written examples of data/intents.json, the older tuned cases and the
// frozen set's dev split — never its test split — and shipped as data (data/intentModel.json).
// Deterministic and offline; it turns words the keyword lists never saw into a distribution over
// intents, which understand.ts weighs beside the keywords, the slots and the conversation.
import { readFileSync } from 'node:fs';
import { messageFeatures } from './features.ts';

export interface IntentModelData {
  classes: string[];
  bias: number[];
  /** feature → [[class index, weight], …] (only the weights that matter). */
  weights: Record<string, [number, number][]>;
  /** The factor the trainer's weights were multiplied by to calibrate the probabilities (already applied). */
  scale?: number;
}

export interface IntentModel {
  readonly classes: readonly string[];
  /** P(intent | message) for every class. */
  probabilities(message: string): Record<string, number>;
}

/** The feature vector as the model was trained on it: 1 + ln(count), scaled to unit length. */
export function featureVector(message: string): Map<string, number> {
  const raw = messageFeatures(message);
  let norm = 0;
  const out = new Map<string, number>();
  for (const [k, n] of raw) {
    const v = 1 + Math.log(n);
    out.set(k, v);
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [k, v] of out) out.set(k, v * scale);
  return out;
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

const SHIPPED = new URL('./data/intentModel.json', import.meta.url);
let shipped: IntentModelData | undefined;

/** The model file shipped with the code, read once per process (it is data, not a module to type-check). */
export function shippedIntentModel(): IntentModelData {
  shipped ??= JSON.parse(readFileSync(SHIPPED, 'utf8')) as IntentModelData;
  return shipped;
}

export function createIntentModel(data: IntentModelData = shippedIntentModel()): IntentModel {
  return {
    classes: data.classes,
    probabilities(message) {
      const logits = [...data.bias];
      let read = false;
      for (const [feature, value] of featureVector(message)) {
        const ws = data.weights[feature];
        if (!ws) continue;
        read = true;
        for (const [c, w] of ws) logits[c]! += w * value;
      }
      // A message of which the model knows no feature ("asdfgh") is no evidence for any class: the
      // biases alone would hand it to whichever class they favour, as surely as calibration scaled them.
      const p = read ? softmax(logits) : data.classes.map(() => 1 / data.classes.length);
      return Object.fromEntries(data.classes.map((c, i) => [c, p[i]!]));
    },
  };
}
