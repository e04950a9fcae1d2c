// The intent classifier. Three signals, all from data/intents.json: weighted keywords (with
// negation: "不是要退货,只是问物流" counts 退货 against after-sales), and the nearest examples by
// character bigrams (no embedder needed) and by the local embedder's vectors. Examples are embedded
// once per classifier, on first use. Classifications are cached (a conversation's earlier messages
// are classified again every turn), but a call answers from what it found and computed itself: the
// cache is shared by every shopper of the process and may drop anything while the call awaits.
import { LRUCache } from 'lru-cache';
import { pinyin } from 'pinyin-pro';
import type { Embedder } from '../../embed/embedder.ts';
import data from './data/intents.json' with { type: 'json' };
import { pinyinSyllables } from './features.ts';
import { createIntentModel, type IntentModel } from './intentModel.ts';
import { LEXICON } from './lexicon.ts';
import { findTerm } from '../../text/normalize.ts';

export const INTENTS = [
  'recommend', 'product_info', 'order_status', 'logistics', 'after_sales', 'coupons', 'points', 'referral',
  'knowledge', 'handoff', 'smalltalk', 'out_of_scope', 'injection', 'feedback', 'vote', 'badges',
  'membership', 'reminders', 'reorder',
] as const;
export type Intent = (typeof INTENTS)[number];

interface IntentData {
  keywords: Record<string, number>;
  examples: string[];
}
const DATA = data as Record<Intent, IntentData>;

export type IntentScores = Record<Intent, number>;

export interface Classification {
  /** Keyword evidence per intent (negated hits count against). */
  keywords: IntentScores;
  /** Similarity to the intent's nearest example, 0–1, bigram and vector signals combined. */
  similarity: IntentScores;
  /** The learned model's probability of each intent (intentModel.ts), 0–1. */
  learned: IntentScores;
}

export interface IntentClassifier {
  classify(norms: readonly string[]): Promise<Classification[]>;
}

// A keyword counts as negated when a negator ends at most this many characters before it.
const NEGATION_REACH = 4;
// A negated keyword pulls its intent down by half its weight: the shopper named it to rule it out.
const NEGATED_FACTOR = -0.5;
// Below these the nearest example says nothing (short texts share a character or two by chance).
const BIGRAM_FLOOR = 0.15;
const VECTOR_FLOOR = 0.2;
const CACHE_SIZE = 512;

const zeros = (): IntentScores => Object.fromEntries(INTENTS.map((i) => [i, 0])) as IntentScores;

function negated(text: string, at: number): boolean {
  const window = text.slice(Math.max(0, at - NEGATION_REACH - 4), at);
  for (const neg of LEXICON.negators) {
    const i = window.lastIndexOf(neg);
    if (i < 0 || window.length - (i + neg.length) > NEGATION_REACH) continue;
    // "是不是正品" asks; "别的" is "other": phrases that contain a negator without negating.
    const start = at - window.length + i;
    const excepted = LEXICON.negationExceptions.some((ex) => {
      const j = text.lastIndexOf(ex, start + neg.length);
      return j >= 0 && j <= start && j + ex.length >= start + neg.length;
    });
    if (!excepted) return true;
  }
  return false;
}

// Each intent's keywords, longest first: sorted once per process, not on every message.
const TERMS_LONGEST_FIRST = Object.fromEntries(
  INTENTS.map((intent) => [intent, Object.entries(DATA[intent].keywords).sort((a, b) => b[0].length - a[0].length)]),
) as Record<Intent, [string, number][]>;

/** One intent's weighted keyword hits; overlapping hits count once (longest wins). */
export function keywordScore(text: string, intent: Intent): number {
  const hits: { at: number; end: number; weight: number }[] = [];
  for (const [term, weight] of TERMS_LONGEST_FIRST[intent]) {
    for (let at = findTerm(text, term); at >= 0; at = findTerm(text, term, at + term.length)) {
      const end = at + term.length;
      if (hits.some((h) => at < h.end && end > h.at)) continue;
      hits.push({ at, end, weight: negated(text, at) ? weight * NEGATED_FACTOR : weight });
    }
  }
  return hits.reduce((s, h) => s + h.weight, 0);
}

// A keyword typed in pinyin ("dingdan" for 订单) counts this much of its weight: a syllable string
// can also be another word read alike.
const PINYIN_FACTOR = 0.8;
// Share of a message's Latin words that must read as pinyin for the message to be taken as pinyin
// (English shares short words with it: "can", "he", "change").
const PINYIN_SHARE = 0.6;

let pinyinKeywords: Record<Intent, [string[], number][]> | undefined;

/** Each intent's Chinese keywords of two characters or more, read aloud: 订单 → [ding, dan]. Built once per process. */
function keywordsInPinyin(): Record<Intent, [string[], number][]> {
  pinyinKeywords ??= Object.fromEntries(
    INTENTS.map((intent) => [
      intent,
      TERMS_LONGEST_FIRST[intent]
        .filter(([term]) => /^\p{Script=Han}{2,}$/u.test(term))
        .map(([term, weight]) => [pinyin(term, { toneType: 'none', type: 'array' }), weight] as [string[], number]),
    ]),
  ) as Record<Intent, [string[], number][]>;
  return pinyinKeywords;
}

/** The message's syllables when it is typed in pinyin ("wo de dingdan" → wo de ding dan), else null. */
function pinyinReading(text: string): string[] | null {
  const words = text.match(/[a-z]+/g);
  if (!words) return null;
  const syllables: string[] = [];
  let read = 0;
  for (const w of words) {
    const cut = pinyinSyllables(w);
    if (!cut) {
      syllables.push('|');
      continue;
    }
    read++;
    syllables.push(...cut);
  }
  return read / words.length >= PINYIN_SHARE && syllables.filter((x) => x !== '|').length >= 2 ? syllables : null;
}

/** Keyword evidence found in the pinyin of the message: each keyword counted once. */
function pinyinScore(syllables: readonly string[], intent: Intent): number {
  let score = 0;
  for (const [reading, weight] of keywordsInPinyin()[intent]) {
    for (let i = 0; i + reading.length <= syllables.length; i++) {
      if (reading.every((x, j) => syllables[i + j] === x)) {
        score += weight * PINYIN_FACTOR;
        break;
      }
    }
  }
  return score;
}

/** Weighted keyword hits per intent; overlapping hits of one intent count once (longest wins). */
export function keywordScores(text: string): IntentScores {
  const reading = pinyinReading(text);
  const out = zeros();
  for (const intent of INTENTS) {
    out[intent] = keywordScore(text, intent) + (reading ? pinyinScore(reading, intent) : 0);
  }
  return out;
}

function bigrams(text: string): Set<string> {
  const chars = Array.from(text.replace(/[\s\p{P}\p{S}]+/gu, ''));
  const out = new Set<string>();
  if (chars.length === 1) out.add(chars[0]!);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

interface Example {
  intent: Intent;
  text: string;
  grams: Set<string>;
}

export function createIntentClassifier(embedder: Embedder, model: IntentModel = createIntentModel()): IntentClassifier {
  const examples: Example[] = INTENTS.flatMap((intent) =>
    DATA[intent].examples.map((e) => {
      const text = e.toLowerCase();
      return { intent, text, grams: bigrams(text) };
    }),
  );
  let vectors: Promise<number[][]> | undefined;
  const cache = new LRUCache<string, Classification>({ max: CACHE_SIZE });

  // A failed embedding (a remote embedder that is down) is not cached: the next turn tries again,
  // and this one is classified by keywords and bigrams alone.
  async function exampleVectors(): Promise<number[][] | null> {
    vectors ??= embedder.embed(examples.map((e) => e.text));
    try {
      return await vectors;
    } catch {
      vectors = undefined;
      return null;
    }
  }

  function similarity(text: string, vector: number[] | undefined, exampleVecs: number[][] | null): IntentScores {
    const grams = bigrams(text);
    const best = zeros();
    examples.forEach((ex, i) => {
      const byGrams = Math.max(0, dice(grams, ex.grams) - BIGRAM_FLOOR) / (1 - BIGRAM_FLOOR);
      const vec = vector && exampleVecs ? Math.max(0, cosine(vector, exampleVecs[i]!) - VECTOR_FLOOR) / (1 - VECTOR_FLOOR) : byGrams;
      const sim = (byGrams + vec) / 2;
      if (sim > best[ex.intent]) best[ex.intent] = sim;
    });
    return best;
  }

  function learned(text: string): IntentScores {
    const p = model.probabilities(text);
    const out = zeros();
    for (const intent of INTENTS) out[intent] = p[intent] ?? 0;
    return out;
  }

  return {
    async classify(norms) {
      const found = new Map<string, Classification>();
      for (const n of norms) {
        const hit = cache.get(n);
        if (hit) found.set(n, hit);
      }
      const todo = [...new Set(norms.filter((n) => !found.has(n)))];
      if (todo.length) {
        const exampleVecs = await exampleVectors();
        const vecs = exampleVecs ? await embedder.embed(todo).catch(() => null) : null;
        todo.forEach((text, i) => {
          const classified = { keywords: keywordScores(text), similarity: similarity(text, vecs?.[i], exampleVecs), learned: learned(text) };
          found.set(text, classified);
          cache.set(text, classified);
        });
      }
      return norms.map((n) => found.get(n)!);
    },
  };
}
