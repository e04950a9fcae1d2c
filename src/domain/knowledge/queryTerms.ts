// The words a question is matched by. jieba cuts a word it does not know together with its
// neighbour ("老铁有什么权益" → 老铁有 | 权益), and such a word is in no document. Its character
// pairs often are (老铁), so an unknown word is replaced by those of its pairs the documents use.
// Pure: the document frequencies come from the database.

import { soundOf } from '../../text/phonetic.ts';

const HAN = /^\p{Script=Han}+$/u;
const PINYIN_WORD = /^[a-z]{4,}$/;

// Words that ask rather than name what is asked about ("预售的东西啥时候发"). One the documents never
// use would only count against every chunk, the answer included, so it is left out of the match.
// 怎么样 stays in: it asks how a thing is (今天天气怎么样), which a rule that mentions the thing in
// passing (遇到恶劣天气可能延迟) does not answer.
export const ASKING_WORDS: ReadonlySet<string> = new Set([
  '啥时候', '什么时候', '几时', '到底', '究竟', '多久', '多长时间', '怎么办', '咋办', '咋', '啥', '为啥',
  '为什么', '时候', '是不是', '能不能', '可不可以', '会不会', '要不要', '东西', '一般', '大概', '问问', '问下', '问一下',
  '怎么回事', '啥意思', '什么意思', '多少', '几天', '请问', '一下下', '呗', '哈', '哇',
]);

/** Character pairs of a Chinese word longer than two characters; none for other words. */
export function bigramsOf(term: string): string[] {
  const chars = Array.from(term);
  if (chars.length < 3 || !HAN.test(term)) return [];
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
}

// Modal and linking characters jieba glues to the word before them ("两张券能一起用吗" → 券能).
const GLUED = new Set(['能', '会', '要', '是', '都', '也', '还', '就', '可', '该', '得', '才', '又']);

/**
 * The pieces an unknown word may stand for: its character pairs, or for a two-character word with
 * a modal glued on, the other character (券能 → 券, the word the documents use).
 */
export function piecesOf(term: string): string[] {
  const chars = Array.from(term);
  if (chars.length === 2 && HAN.test(term)) {
    const [a, b] = chars as [string, string];
    return GLUED.has(b) && !GLUED.has(a) ? [a] : GLUED.has(a) && !GLUED.has(b) ? [b] : [];
  }
  return bigramsOf(term);
}

/** The terms whose document frequency is needed to resolve `terms`. */
export function termsToLookUp(terms: readonly string[]): string[] {
  return [...new Set([...terms, ...terms.flatMap(piecesOf)])];
}

/**
 * Keeps the words the documents use; replaces an unknown word by its known pieces that the question
 * does not already contain. A word that stays unknown is kept: it is part of the question, and a
 * chunk that lacks it answers less of it. (jieba's search mode already adds the parts of a word it
 * knows — 今天天气 → 今天, 天气 — so such a word is not replaced: its parts are there already.)
 */
export function resolveQueryTerms(terms: readonly string[], df: ReadonlyMap<string, number>): string[] {
  const asked = new Set(terms);
  const out = new Set<string>();
  for (const t of terms) {
    if ((df.get(t) ?? 0) === 0 && ASKING_WORDS.has(t)) continue;
    const known = (df.get(t) ?? 0) > 0 ? [] : piecesOf(t).filter((b) => (df.get(b) ?? 0) > 0 && !asked.has(b));
    for (const w of known.length > 0 ? known : [t]) out.add(w);
  }
  return [...out];
}

/**
 * Whether an unknown word may be a document's word typed by sound: a Chinese word of two or three
 * characters (发火 for 发货) or a word of pinyin (baoyou, yunfei). One character sounds like too much.
 */
export function mayBeTypedBySound(term: string): boolean {
  const n = Array.from(term).length;
  return (HAN.test(term) && n >= 2 && n <= 3 && !ASKING_WORDS.has(term)) || PINYIN_WORD.test(term);
}

const compact = (text: string) => soundOf(text).replace(/ /g, '');

/**
 * For each unknown word, the documents' words that sound the same (toneless pinyin, syllable for
 * syllable; a pinyin word against their sound with the spaces left out). At most two each: a
 * sound shared by more words says nothing of which was meant.
 */
export function soundAlikes(unknown: readonly string[], vocabulary: Iterable<string>): Map<string, string[]> {
  const wanted = new Map<string, string[]>();
  for (const t of unknown) wanted.set(HAN.test(t) ? soundOf(t) : ` ${t} `, []);
  const compactWanted = new Map([...wanted.keys()].map((k) => [k.replace(/ /g, ''), k]));
  for (const w of vocabulary) {
    if (!HAN.test(w)) continue;
    const key = compactWanted.get(compact(w));
    if (key !== undefined && (soundOf(w) === key || /^ [a-z]+ $/.test(key))) wanted.get(key)!.push(w);
  }
  const out = new Map<string, string[]>();
  for (const t of unknown) {
    const found = (wanted.get(HAN.test(t) ? soundOf(t) : ` ${t} `) ?? []).filter((w) => w !== t);
    if (found.length > 0 && found.length <= 2) out.set(t, found);
  }
  return out;
}
