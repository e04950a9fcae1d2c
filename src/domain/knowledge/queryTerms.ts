// The words a question is matched by. jieba cuts a word it does not know together with its
// neighbour ("老铁有什么权益" → 老铁有 | 权益), and such a word is in no document. Its character
// pairs often are (老铁), so an unknown word is replaced by those of its pairs the documents use.
// Pure: the document frequencies come from the database.

const HAN = /^\p{Script=Han}+$/u;

// Words that ask rather than name what is asked about ("预售的东西啥时候发"). One the documents never
// use would only count against every chunk, the answer included, so it is left out of the match.
// 怎么样 stays in: it asks how a thing is (今天天气怎么样), which a rule that mentions the thing in
// passing (遇到恶劣天气可能延迟) does not answer.
const ASKING_WORDS = new Set([
  '啥时候', '什么时候', '几时', '到底', '究竟', '多久', '多长时间', '怎么办', '咋办', '咋', '啥', '为啥',
  '为什么', '是不是', '能不能', '可不可以', '会不会', '要不要', '东西', '一般', '大概', '问问', '问下', '问一下',
  '怎么回事', '啥意思', '什么意思', '多少', '几天', '请问', '一下下', '呗', '哈', '哇',
]);

/** Character pairs of a Chinese word longer than two characters; none for other words. */
export function bigramsOf(term: string): string[] {
  const chars = Array.from(term);
  if (chars.length < 3 || !HAN.test(term)) return [];
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
}

/** The terms whose document frequency is needed to resolve `terms`. */
export function termsToLookUp(terms: readonly string[]): string[] {
  return [...new Set([...terms, ...terms.flatMap(bigramsOf)])];
}

/**
 * Keeps the words the documents use; replaces an unknown word by its known pairs that the question
 * does not already contain. A word that stays unknown is kept: it is part of the question, and a
 * chunk that lacks it answers less of it. (jieba's search mode already adds the parts of a word it
 * knows — 今天天气 → 今天, 天气 — so such a word is not replaced: its parts are there already.)
 */
export function resolveQueryTerms(terms: readonly string[], df: ReadonlyMap<string, number>): string[] {
  const asked = new Set(terms);
  const out = new Set<string>();
  for (const t of terms) {
    if ((df.get(t) ?? 0) === 0 && ASKING_WORDS.has(t)) continue;
    const known = (df.get(t) ?? 0) > 0 ? [] : bigramsOf(t).filter((b) => (df.get(b) ?? 0) > 0 && !asked.has(b));
    for (const w of known.length > 0 ? known : [t]) out.add(w);
  }
  return [...out];
}
