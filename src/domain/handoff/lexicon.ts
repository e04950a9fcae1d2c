// The words the hand-off judgement listens for: one list for the whole service (the mood of a message
// decides the AI's tone, the 'angry' hand-off and a ticket's priority alike). Kept as data, apart
// from the rules, so a shop's wording can grow without touching logic. Terms are matched in
// normalized text (src/text/normalize.ts: simplified, lower case). Weights are intensities: 投诉 and
// 12315 (a formal complaint) weigh more than 无语 (mild annoyance); a score at the shop's angryAt
// (default 3) counts as angry, any score below it as upset.

export const ANGER_TERMS: Readonly<Record<string, number>> = {
  投诉: 3,
  '12315': 3,
  消协: 3,
  骗子: 3,
  骗人: 3,
  诈骗: 3,
  黑店: 3,
  垃圾: 3,
  坑人: 3,
  破玩意: 3,
  忍无可忍: 3,
  起诉: 3,
  愤怒: 3,
  滚: 3,
  妈的: 3,
  tmd: 3,
  傻逼: 3,
  sb: 3,
  差评: 2,
  工商: 2,
  律师: 2,
  曝光: 2,
  举报: 2,
  太差: 2,
  气死: 2,
  恶心: 2,
  生气: 2,
  受够: 2,
  太过分: 2,
  什么破: 2,
  什么鬼: 2,
  烦死: 2,
  坑爹: 2,
  无语: 1,
  失望: 1,
  离谱: 1,
  过分: 1,
  退钱: 1,
  到底: 1,
  几天了: 1,
  还没到: 1,
  怎么还: 1,
  scam: 3,
  fraud: 3,
  furious: 3,
  rubbish: 3,
  garbage: 3,
  wtf: 3,
  'report you': 3,
  complaint: 2,
  complain: 2,
  angry: 2,
  terrible: 2,
  worst: 2,
  unacceptable: 2,
  ridiculous: 2,
  useless: 2,
  disgusting: 2,
  awful: 2,
  'fed up': 2,
  lawyer: 2,
};

/**
 * A threat to take the shop to someone outside it: a formal complaint, the consumer hotlines and
 * associations, the regulator, a lawyer, the press. Whatever its wording scores, such a message is
 * angry: it is the hand-off that cannot wait (docs/domain.md §10 Handoff).
 */
export const COMPLAINT_THREATS: readonly string[] = [
  '投诉', '12315', '消协', '消费者协会', '消保委', '工商', '曝光', '举报', '起诉', '律师',
  'complain', 'complaint', 'report you', 'lawyer', 'sue you',
];

/** Harmless words that contain a term (送妈妈的 holds 妈的, 滚珠眼霜 holds 滚, 垃圾桶 holds 垃圾). */
export const ANGER_EXCEPTIONS: readonly string[] = ['妈妈的', '他妈妈', '她妈妈', '滚珠', '滚筒', '滚轮', '垃圾袋', '垃圾桶', '垃圾分类', '工商银行'];

/** A run of at least this many exclamation marks is shouting. */
export const EXCLAIM_RUN = 3;
export const EXCLAIM_SCORE = 1;
/** Several words in capitals are shouting; one acronym (SPF, VIP, DHL) is not. */
export const CAPS_WORDS = 2;
export const CAPS_SCORE = 2;

/**
 * The shopper asks for a person. Matched in normalized text (simplified, lower case), so 轉人工 and
 * "Talk to a HUMAN" count too; 人工 in 人工智能 or 人工费 is not a person.
 */
export const HUMAN_REQUESTS: readonly RegExp[] = [
  /人工(?!智能|费|合成|色素|香精|养殖|种植)/,
  // 真人试色, 真人图, 真人模特: a real person in a product photo, not one to talk to.
  /真人(?!试|图|照|模特|实拍|展示|上身|上脸|视频|秀|测评|出镜)|活人|真的人/,
  /(找|叫|要|转|接|换|联系|让|请)(个|一个|一下|下)?(你们)?(客服|负责人|经理|店长|老板|工作人员|店员|同事)/,
  /换个人|找个人|叫个人|来个人|接个人|有人管吗|有没有人管/,
  // "找人理论清楚", "找个能做主的人": someone to settle it with.
  /找人(说|理论|评理|处理|解决|谈|讲)|(能|可以)(做主|管事|负责|拍板)的人|管事的/,
  /客服(在吗|呢|在不在|有没有|人呢|出来)/,
  /\b(zhuan ?ren ?gong|ren ?gong ?ke ?fu|rengong|zhen ?ren)\b/,
  /\b(real|actual|live) (person|human|agent|people)\b/,
  /\b(talk|speak|chat) (to|with) (a |an |some )?(human|person|someone|somebody|agent|manager|representative|staff)\b/,
  /\bcustomer (service|support) (please|agent|rep)|\bhuman (agent|please|being)|\b(an? )?(agent|operator|representative) please\b/,
];

/** A plain request for a person: a verb that asks for one, or the word alone ("人工", "转人工！"). */
export const EXPLICIT_HUMAN_REQUEST =
  /(转|找|要|接|叫|联系|换|安排|让)(个|一个|一下|下)?(你们)?的?(我的)?(专属|售后|客服)?(人工|客服|真人|活人|顾问|经理|主管|负责人)|^(转)?(人工|真人|客服|人工客服)[\s\p{P}\p{S}]*$|人工[!！]+|(专属客服|专属顾问|客服).{0,4}(联系我|找我|打给我|加我|回我电话)|(接|找|叫|来)(个|一个)(人|真人|活人)(过来|来|吧|啊|[\s\p{P}\p{S}]*$)|找人(说|理论|评理|处理|解决)|(能|可以)(做主|管事|负责|拍板)的人/u;

/**
 * A message that mentions people without asking for one: when they work, what they would say
 * differently, what a channel means, thanks for one ("替我谢谢她").
 */
export const ABOUT_HUMANS =
  /几点|什么时候|啥时候|多久|时间|上班|下班|晚上|周末|节假日|问问|会不会|不一样|什么意思|是什么|啥意思|区别|有吗|谢谢(她|他|你们的)|替我谢|帮我谢|挺好|很好|表扬|夸|电话|号码|微信号|是真人|真人吗|是不是真人|是机器人|怎么找|如何找|怎样找|是不是|能不能帮忙|能帮忙|能不能改|能改|可以改|以后|\b(what time|when|hours|how long|how soon|difference|phone number|are you (a )?(real|human|bot)|if i (ask|want|need))\b/u;

/**
 * A question about reaching a person that holds even a request's verb ("以后怎么找人工", "找客服是不是更快",
 * "人工的电话多少"): she asks how, whether or where, she does not ask for one now.
 */
export const ASKS_HOW_TO_REACH =
  /(怎么|如何|怎样|咋)(才能)?(找|联系|转|接|叫)|是不是|以后|下次|电话|号码|\b(how (do|can) i (reach|contact|get)|phone number)\b/u;

/** A request for a person that the shopper declines in the same breath ("不用转人工"). */
export const DECLINED_REQUEST =
  /(不用|不要|不需要|别|无需|不必|不是要|没说要|不)(帮我)?(转|找|叫|赚|砖|传)?(接)?(人工|客服|真人)|(转人工|人工|客服).{0,8}(点错|手滑|按错|不用了|不需要了|算了|先不用|现在不用)|\bno (human|person|agent)\b|\bdon'?t (need|want) (a )?(human|person|agent)\b/;

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
  '不对',
  'still not',
  'not helpful',
  "you don't understand",
  "that's not what i asked",
];

/**
 * Words that ask rather than name what is asked about, beside the tokenizer's stopwords: two
 * questions that share only these ("什么时候发货" / "什么时候能开发票") are about different things.
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  '时候', '什么时候', '啥时候', '几时', '多久', '多长时间', '多少', '几天', '怎么样', '怎样', '如何', '怎么办',
  '为什么', '为啥', '是不是', '能不能', '可不可以', '会不会', '要不要', '到底', '究竟', '哪里', '哪儿', '在哪',
  '就是', '还是', '那个', '这个', '那单', '这单', '问问', '问下', '问一下', '一下', '你好', '您好', '谢谢', '麻烦',
  '客服', '亲', '现在', '已经', '怎么回事', '啥意思', '什么意思', '我要', '还要', '想问',
  'what', 'when', 'how', 'why', 'where', 'is', 'are', 'do', 'does', 'can', 'my', 'i', 'you', 'it', 'to', 'please',
]);

/**
 * What a shopper says while waiting for a person, beside the asking words: asking for one ("转人工",
 * "帮我找客服"), hurrying ("在吗？快点", "还要等多久", "怎么还没人回复"), thanks. A message of
 * these words only names no need of its own for staff to answer.
 */
export const WAITING_WORDS: ReadonlySet<string> = new Set([
  '转', '人工', '客服', '真人', '活人', '找', '叫', '人', '有人', '没人', '回复', '回', '理', '管', '快点', '快', '赶紧',
  '等', '在', '好', '好的', '谢谢', '嗯', '行', '知道', '收到', 'ok', 'human', 'person', 'agent', 'hello', 'hi', 'thanks',
]);
