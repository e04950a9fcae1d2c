// Replies that need no account data: shop rules quoted from searchKnowledge, small talk, refusals
// (out of scope, prompt injection) and the fallback when a message is not understood.
import { personAsk } from '../../domain/handoff/personAsk.ts';
import { looksLikeInstruction } from './guard.ts';
import { LEXICON } from './lexicon.ts';
import { containsTerm } from '../../text/normalize.ts';
import { lines, quote, type Say } from './replies.ts';
import type { KnowledgePassage } from './results.ts';

// A rule is quoted in full up to this length; knowledge excerpts are at most 300 characters.
const RULE_QUOTE_MAX = 220;

// Characters of asking and linking ("是啥", "什么", "能不能"): a pair of them names no section.
const ASKING_CHARS = new Set(Array.from('是啥什么怎样吗呢吧的了能不会哪几多少有没要还和与跟都也就可以'));

/** The character pairs of a text that name something: those with no asking or linking character. */
function namingPairs(text: string): Set<string> {
  const chars = Array.from(text.replace(/[^\p{Script=Han}]+/gu, ' '));
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const [a, b] = [chars[i]!, chars[i + 1]!];
    if (a !== ' ' && b !== ' ' && !ASKING_CHARS.has(a) && !ASKING_CHARS.has(b)) out.add(a + b);
  }
  return out;
}

/** The last level of a passage's heading: the question its section answers. */
function sectionOf(p: KnowledgePassage): string {
  return p.heading.split(/\s*[>›/]\s*/).at(-1) ?? '';
}

/** Whether the passage's heading names a part of the question (直推奖 in "直推奖拿多少"). */
export function sectionNames(question: string, p: KnowledgePassage): boolean {
  const asked = namingPairs(question);
  return [...namingPairs(sectionOf(p))].some((x) => asked.has(x));
}

/** Whether the passage (heading or text) uses a word that names part of the question. */
export function passageShares(question: string, p: KnowledgePassage): boolean {
  const asked = namingPairs(question);
  return [...namingPairs(`${sectionOf(p)} ${p.excerpt}`)].some((x) => asked.has(x));
}

/**
 * The passages to quote: the best one, then any other whose heading names a part of the question
 * that the headings quoted so far do not ("团队奖和平级奖有什么区别" → 团队奖, then 平级奖).
 */
export function passagesToQuote(question: string, passages: readonly KnowledgePassage[]): KnowledgePassage[] {
  const [top, ...rest] = passages;
  if (!top) return [];
  const asked = namingPairs(question);
  const covered = new Set([...namingPairs(sectionOf(top))].filter((p) => asked.has(p)));
  const out = [top];
  for (const p of rest) {
    const names = [...namingPairs(sectionOf(p))].filter((x) => asked.has(x) && !covered.has(x));
    if (names.length === 0) continue;
    names.forEach((x) => covered.add(x));
    out.push(p);
  }
  return out;
}

// The staff's hours and waiting time as the shop's rules write them: "09:00–22:00", "等待不超过3分钟".
const CLOCK_RANGE = /(\d{1,2}:\d{2})\s*[–—~-]\s*(\d{1,2}:\d{2})/;
const WAIT_MINUTES = /(?:等待|等)[^。；]{0,6}?(\d+)\s*分钟/;

/**
 * An English question about the staff ("What are your customer service hours?") answered from the
 * passage that gives their hours, in English: the rules are written in Chinese, and a quoted Chinese
 * sentence is no answer to someone who asked in English.
 */
function staffHoursReply(say: Say, passages: readonly KnowledgePassage[], question: string): string | undefined {
  if (say.lang !== 'en' || personAsk(question) !== 'question') return undefined;
  const found = passages.find((p) => CLOCK_RANGE.test(p.excerpt) && /人工|客服/.test(p.excerpt));
  const clock = found && CLOCK_RANGE.exec(found.excerpt);
  if (!found || !clock) return undefined;
  const wait = WAIT_MINUTES.exec(found.excerpt);
  return lines(
    say.t('knowledge.staff_hours', { title: found.title || say.t('knowledge.untitled'), from: clock[1]!, to: clock[2]! }),
    wait && say.t('knowledge.staff_wait', { minutes: wait[1]! }),
  );
}

export function knowledgeReply(say: Say, passages: readonly KnowledgePassage[], question = ''): string {
  const staff = staffHoursReply(say, passages, question);
  if (staff) return staff;
  const quoted = passagesToQuote(question, passages)
    .map((p) => ({ p, text: quote(p.excerpt, looksLikeInstruction, RULE_QUOTE_MAX) }))
    .filter((q) => q.text);
  const top = quoted[0];
  if (!top) return say.t('knowledge.none');
  const titleOf = (p: KnowledgePassage) => p.title || say.t('knowledge.untitled');
  const shown = new Set(quoted.map((q) => q.p.title));
  const others = [...new Set(passages.map((p) => p.title).filter((t) => t && !shown.has(t)))];
  return lines(
    say.t('knowledge.answer', { title: titleOf(top.p), heading: top.p.heading || top.p.title, excerpt: top.text }),
    ...quoted.slice(1).map((q) => say.t('knowledge.also', { title: titleOf(q.p), heading: sectionOf(q.p) || q.p.title, excerpt: q.text })),
    others.length > 0 && say.t('knowledge.see_also', { titles: say.list(others.map((t) => say.t('knowledge.title', { title: t }))) }),
  );
}

export function smalltalkReply(say: Say, norm: string): string {
  const kind = Object.entries(LEXICON.smalltalkKinds).find(([, cues]) => cues.some((c) => containsTerm(norm, c)))?.[0] ?? 'greet';
  const persona = say.ctx.persona === 'advisor' ? 'advisor' : 'card';
  return say.t(`smalltalk.${kind}_${persona}`);
}

export function capabilities(say: Say): string {
  return say.t('common.capabilities');
}
