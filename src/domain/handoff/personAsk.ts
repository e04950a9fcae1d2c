// What a message says about the shop's people, read once for the turn: it asks for one now, asks
// about them (their hours, waiting, cost, who may reach them), declines one, or does not name one.
// One mechanism for every wording: a message that names a person asks for one when it states a wish
// or an imperative ("我要找人工", "帮我转一下", "叫你们店长出来", "人工！", "get me a manager"), and not
// when it asks, remarks or declines ("找人工需要付费吗？", "上次那个客服挺好的 帮我谢谢她", "先不麻烦人工了").
// The words are data in lexicon.ts.
import { soundsLike } from '../../text/phonetic.ts';
import {
  ADDRESSES_STAFF,
  BARE_PERSON,
  CALL_ME_BACK,
  CLAUSE_QUESTION,
  CLAUSE_REMARK,
  DECLINED_REQUEST,
  EN_NOT_NOW,
  EN_PERSON,
  EN_QUESTION,
  EN_WISH,
  NAMES_PERSON,
  NOT_NOW_BEFORE,
  POLITE_REQUEST,
  PY_PERSON,
  PY_QUESTION,
  PY_REQUEST,
  REACHES_PERSON,
  STAFF_DUTY,
  SUMMONS_PERSON,
  SUMMONS_TIME,
  WISHES_PERSON,
} from './lexicon.ts';

export type PersonAsk = 'request' | 'question' | 'declined' | 'remark' | 'none';

// Typed by sound: 转人公, 人工课服.
const SPOKEN = ['转人工', '人工客服', '找客服'];
const HAN = /\p{Script=Han}/u;
// A clause of a WeChat message ends at punctuation or a space; it keeps its closing marks ("吗？").
const CLAUSE = /[^,，。!?;；~～:\s]+[,，。!?;；~～:\s]*/g;
const PUNCTUATION = /[\s\p{P}\p{S}]+/gu;

/** Whether some match of the pattern in the text is not made conditional, later or past by what precedes it. */
function saidNow(text: string, pattern: RegExp): boolean {
  for (const m of text.matchAll(pattern)) if (!NOT_NOW_BEFORE.test(text.slice(0, m.index))) return true;
  return false;
}

function clausesOf(norm: string): string[] {
  return norm.match(CLAUSE) ?? [];
}

/** The staff typed by sound only: the words themselves are the patterns' (转人工智能 names no one). */
function spoken(text: string): boolean {
  return SPOKEN.some((t) => !text.includes(t) && soundsLike(text, t));
}

function namesPerson(text: string): boolean {
  // "你们到底有没有人管": calling for anyone at all names the staff.
  return NAMES_PERSON.test(text) || SUMMONS_PERSON.test(text) || spoken(text);
}

/** A clause that tells the card to get someone: "转人工", "找你们老板", "人工客服麻烦接一下", "人工". */
function imperative(clause: string): boolean {
  if (CLAUSE_QUESTION.test(clause) || CLAUSE_REMARK.test(clause)) return false;
  const bare = clause.replace(PUNCTUATION, '');
  return saidNow(clause, REACHES_PERSON) || ADDRESSES_STAFF.test(clause) || BARE_PERSON.test(bare) || spoken(clause);
}

function chineseAsk(norm: string): PersonAsk {
  if (!namesPerson(norm)) return 'none';
  if (DECLINED_REQUEST.test(norm)) return 'declined';
  const clauses = clausesOf(norm);
  if (saidNow(norm, WISHES_PERSON) || saidNow(norm, POLITE_REQUEST) || CALL_ME_BACK.test(norm)) return 'request';
  if (clauses.some((c) => SUMMONS_PERSON.test(c) && !SUMMONS_TIME.test(c))) return 'request';
  if (clauses.some(imperative)) return 'request';
  // The question must be about them: "如果我要找人工 一般要等多久才有人回", not "A是客服 … 怎么查别人的地址".
  return clauses.some((c) => CLAUSE_QUESTION.test(c) && (namesPerson(c) || STAFF_DUTY.test(c))) ? 'question' : 'remark';
}

function latinAsk(norm: string): PersonAsk {
  const english = EN_PERSON.test(norm) || EN_WISH.test(norm);
  const pinyin = PY_PERSON.test(norm);
  if (!english && !pinyin) return 'none';
  if (DECLINED_REQUEST.test(norm)) return 'declined';
  if (english && EN_WISH.test(norm) && !EN_NOT_NOW.test(norm)) return 'request';
  if (pinyin && PY_REQUEST.test(norm)) return 'request';
  // "zhuan ren gong", "rengong": pinyin that only names the staff, with no question, asks for them.
  if (pinyin && !english && !PY_QUESTION.test(norm) && !EN_QUESTION.test(norm)) return 'request';
  return EN_QUESTION.test(norm) || PY_QUESTION.test(norm) ? 'question' : 'remark';
}

/**
 * What a normalized message says about the shop's people. Chinese text is read clause by clause; a
 * message with no Han characters is read as English or pinyin.
 */
export function personAsk(norm: string): PersonAsk {
  if (HAN.test(norm)) {
    const ask = chineseAsk(norm);
    // "真人客服 real person pls": English beside Chinese may carry the request.
    return ask === 'request' || ask === 'declined' || !EN_WISH.test(norm) ? ask : latinAsk(norm);
  }
  return latinAsk(norm);
}
