// The words the server-side handoff rules listen for. Kept as data, apart from the rules, so a shop's
// wording can grow without touching logic. Weights are intensities: 投诉 and 12315 (a formal complaint)
// weigh more than 无语 (mild annoyance); a score at the shop's angryAt (default 3) counts as angry.

export const ANGER_TERMS: Readonly<Record<string, number>> = {
  投诉: 3,
  差评: 2,
  '12315': 3,
  消协: 3,
  工商: 2,
  骗子: 3,
  骗人: 3,
  诈骗: 3,
  黑店: 3,
  垃圾: 3,
  坑人: 3,
  忍无可忍: 3,
  起诉: 3,
  曝光: 2,
  举报: 2,
  太差: 2,
  气死: 2,
  恶心: 2,
  生气: 2,
  愤怒: 3,
  受够: 2,
  太过分: 2,
  什么破: 2,
  烦死: 2,
  无语: 1,
  失望: 1,
  离谱: 1,
  退钱: 1,
  scam: 3,
  fraud: 3,
  complaint: 2,
  furious: 3,
  angry: 2,
  terrible: 2,
  worst: 2,
  unacceptable: 2,
  ridiculous: 2,
  useless: 2,
  rubbish: 3,
  garbage: 3,
};

/** A run of at least this many exclamation marks is shouting. */
export const EXCLAIM_RUN = 3;
export const EXCLAIM_SCORE = 1;
/** Several words in capitals are shouting; one acronym (SPF, VIP) is not. */
export const CAPS_WORDS = 2;
export const CAPS_SCORE = 2;

/** The shopper asks for a person. */
export const HUMAN_REQUESTS: readonly RegExp[] = [
  /转人工|人工客服|找人工|要人工|接人工|人工服务|真人客服|找真人|要真人|跟真人/,
  /找客服|联系客服|叫客服|客服在吗|客服呢|让客服|换个人/,
  /\b(real|actual|live) (person|human|agent)\b/i,
  /\b(talk|speak) to (a |an )?(human|person|someone|agent|manager)\b/i,
  /\bcustomer service\b|\bhuman agent\b/i,
];

/** A request for a person that the shopper declines in the same breath ("不用转人工"). */
export const DECLINED_REQUEST = /(不用|不要|不需要|别|无需)(帮我)?(转)?(人工|客服|真人)|\bno (human|person|agent)\b|\bdon'?t need (a )?(human|person)\b/i;

/** The shopper says the last answer did not help: the same need is still open. */
export const UNRESOLVED_CUES: readonly string[] = [
  '还是不行',
  '还是没',
  '没解决',
  '没有解决',
  '答非所问',
  '没听懂',
  '听不懂',
  '没用',
  '不是这个意思',
  '不是我要的',
  'still not',
  'not helpful',
  "you don't understand",
  "that's not what i asked",
];
