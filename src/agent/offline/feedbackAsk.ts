// What a message gives the shop as feedback. submitFeedback runs at once, with no yes asked for, so
// it runs only on feedback stated: something to pass on (a suggestion or complaint about the shop),
// said as feedback or asked to be passed on — not a question about feedback ("我上次提的建议有人看吗"),
// not one held back ("还没想好 下次再说"), not praise in passing, and not a suggestion that is someone
// else's ("我闺蜜建议我…") or meant for someone other than the shop ("建议物业把灯修好").
import { LEXICON } from './lexicon.ts';
import { containsTerm, findTerm } from '../../text/normalize.ts';
import { romanisedSays } from '../../text/phonetic.ts';

export interface FeedbackAsk {
  /** "帮我反馈", "转给商家", "记下来", "pass it on": she asks that it be passed on. */
  passOn: boolean;
  /** A word of feedback itself is used (建议, 意见, 反馈, 创意, suggestion). */
  named: boolean;
  /** Something to pass on is stated: a clause that is neither the framing, the ask nor a question about feedback. */
  content: boolean;
  /** "我上次提的建议有人看吗", "提建议的话会不会泄露信息": a question about giving feedback. */
  asksAbout: boolean;
  /** "还没想好 下次再说", "随口说说", "无所谓啦": she holds it back. */
  held: boolean;
  /** The suggestion is someone else's to her ("我妈老投诉我"), or meant for someone outside the shop ("建议物业…"). */
  elsewhere?: 'to_me' | 'party';
}

// Clauses: at punctuation, and at a space beside a Han character (WeChat's comma); Latin words stay together.
const CLAUSES = /[^。！？!?；;，,：:\n~～…]+[。！？!?；;，,：:\n~～…]*/gu;
const HAN_SPACE = /(?<=[\p{Script=Han}\p{Extended_Pictographic}])\s+|\s+(?=\p{Script=Han})/u;
// A clause names something from this many Han characters (fillers left out) or Latin words on.
const CONTENT_HAN = 4;
const CONTENT_WORDS = 3;
// "我妈老投诉我", "闺蜜建议我": the shopper is the one the suggestion is made to.
const MADE_TO_HER = /(?<!我)(?:建议|投诉|吐槽|提意见)(?:了|过)?我(?!们)/u;
// How far after the feedback word the party it is for may be named ("投诉一下我家楼下的外卖店").
const PARTY_REACH = 8;

const has = (text: string, terms: readonly string[]) => terms.some((t) => containsTerm(text, t) || romanisedSays(text, t));

function clausesOf(norm: string): string[] {
  return (norm.match(CLAUSES) ?? []).flatMap((c) => c.split(HAN_SPACE)).map((c) => c.trim()).filter(Boolean);
}

const ASCII = /^[a-z0-9 ':.-]+$/;
const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest first, so "想法" goes before "想"; Latin ones as whole words only ("a" is not every a).
const NOT_SUBSTANCE = [...LEXICON.feedbackPassOn, ...LEXICON.feedbackFraming, ...LEXICON.feedbackWords, ...LEXICON.feedbackFillers]
  .sort((a, b) => b.length - a.length)
  .map((t) => (ASCII.test(t) ? new RegExp(`(?<![a-z])${escape(t.trim())}(?![a-z])`, 'g') : t));

/** What is left of a clause to pass on once the asking, framing and filler words are taken out. */
function substance(clause: string): { han: number; words: number } {
  let rest = clause;
  for (const t of NOT_SUBSTANCE) rest = typeof t === 'string' ? rest.split(t).join(' ') : rest.replace(t, ' ');
  return { han: (rest.match(/\p{Script=Han}/gu) ?? []).length, words: (rest.match(/[a-z]+/g) ?? []).length };
}

const substantial = (clause: string) => {
  const { han, words } = substance(clause);
  return han >= CONTENT_HAN || words >= CONTENT_WORDS;
};

/** The clause after its last feedback word ("建议你们出小样套装" → "你们出小样套装"). */
function afterFeedbackWord(clause: string): string {
  let end = -1;
  for (const w of LEXICON.feedbackWords) {
    const at = clause.lastIndexOf(w);
    if (at >= 0) end = Math.max(end, at + w.length);
  }
  return end >= 0 ? clause.slice(end) : '';
}

const asks = (clause: string) => has(clause, LEXICON.questionCues);

/** Whether a clause states something to pass on. */
function statesContent(clause: string, passOn: boolean): boolean {
  if (has(clause, LEXICON.feedbackHeld)) return false;
  // "bang wo ti jiao yi xia": the ask typed in pinyin, whose syllables are not taken out one by one.
  if (LEXICON.feedbackPassOn.some((t) => romanisedSays(clause, t))) return false;
  // "团队奖励的明细能不能按周发" asked to be passed on is the suggestion; unasked, "有没有奖励" is about the programme.
  if (!passOn && has(clause, LEXICON.feedbackAbout)) return false;
  if (!has(clause, LEXICON.feedbackWords)) return substantial(clause);
  // "提建议的话会不会泄露我的信息": a question about giving feedback; "建议你们出个小号的" states one.
  if (asks(clause)) return false;
  const after = afterFeedbackWord(clause);
  return after ? substantial(after) : /[a-z]/.test(clause) && substance(clause).words >= CONTENT_WORDS;
}

function elsewhere(norm: string): FeedbackAsk['elsewhere'] {
  if (MADE_TO_HER.test(norm)) return 'to_me';
  for (const w of [...LEXICON.feedbackWords, ...LEXICON.complaintWords]) {
    for (let at = findTerm(norm, w); at >= 0; at = findTerm(norm, w, at + w.length)) {
      const reach = norm.slice(at + w.length, at + w.length + PARTY_REACH + 4);
      const party = LEXICON.outsideParties.map((p) => reach.indexOf(p)).filter((i) => i >= 0 && i <= PARTY_REACH);
      if (party.length) return 'party';
    }
  }
  return undefined;
}

export function readFeedbackAsk(norm: string): FeedbackAsk {
  const passOn = has(norm, LEXICON.feedbackPassOn);
  const gone = elsewhere(norm);
  const clauses = clausesOf(norm);
  return {
    passOn,
    named: has(norm, LEXICON.feedbackWords),
    content: clauses.some((c) => statesContent(c, passOn)),
    asksAbout: clauses.some((c) => has(c, LEXICON.feedbackWords) && asks(c)),
    held: has(norm, LEXICON.feedbackHeld),
    ...(gone ? { elsewhere: gone } : {}),
  };
}
