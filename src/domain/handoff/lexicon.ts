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

// Whether a message asks for a person now (src/domain/handoff/personAsk.ts reads these). A message
// that names one of the shop's people asks for one when it states a wish or an imperative ("我要找人工",
// "帮我转一下", "叫你们店长出来", "人工！", "get me a manager"); it does not when it asks about them
// ("人工几点上班", "找人工要付费吗"), remarks on them ("上次那个客服挺好的"), or declines one. Matched in
// normalized text (src/text/normalize.ts: simplified, lower case, full-width punctuation folded), so
// 轉人工 and "Talk to a HUMAN" count too.

/** Words that name the shop's people on their own; 人工智能, 人工费 and 真人试色 name no one to talk to. */
const STAFF = String.raw`人工(?!智能|费|合成|色素|香精|养殖|种植|成本)|真人(?!试|图|照|模特|实拍|展示|上身|上脸|视频|秀|测评|出镜|一样)|活人|客服|工作人员|负责人|店员|主管`;
/**
 * Who can be asked for after a verb of reaching: alone, 老板 is a referral tier, 经理 a title and 人
 * anyone ("人气", "人参"), but "找你们老板", "叫个人来", "找个能做主的人" ask for someone.
 */
const REACHABLE = String.raw`${STAFF}|(?:能|可以)?(?:做主|管事|负责|拍板)的人|管事的|老板|经理|店长|同事|顾问|小姐姐|人(?=来|过来|处理|解决|管|说|理论|评理|谈|讲|吧|啊|呀|[\s,，。!?.~]|$)`;
/** Verbs that put a shopper through to someone; "转过" tells of the past, "转达" passes on a message. */
const REACH_VERB = String.raw`(?:转接|转(?![给到达])|找|接通|接|叫|喊|联系|安排|换|来|让|派)(?!过)`;
/** What may stand between the verb and the person: "转接一下人工", "联系下你们的售后经理", "安排我的专属客服". */
const REACH_GAP = String.raw`(?:[个下给到的来]|一个|一下|你们|我的|专属|售后|店里|你家|真的?)*`;
// "转给人工客服" puts her through; "记下来转给老板" passes a suggestion on.
const REACH = String.raw`(?:转给|转到)${REACH_GAP}(?:人工|客服|真人|活人)|${REACH_VERB}${REACH_GAP}(?:${REACHABLE})`;

/** A person named: a staff word, or someone reached for ("找个人", "叫你们老板"). */
export const NAMES_PERSON = new RegExp(String.raw`${STAFF}|${REACH}`);
/** A verb of reaching and the person reached, as in an imperative ("转人工", "叫你们客服出来"). */
export const REACHES_PERSON = new RegExp(REACH, 'g');

/**
 * A wish for a person: 我要/我想/给我/帮我/麻烦/请/马上/直接 … a verb of reaching and the person, the
 * person alone ("我要人工", "直接人工", "马上给我人工"), or talking with one ("我想直接跟客服沟通").
 */
export const WISHES_PERSON = new RegExp(
  String.raw`(?:我?想要?|我?要求?|我?需要|我就要|给我|帮我|帮忙|麻烦|请|求|立刻|马上|赶紧|直接|快点?)` +
    String.raw`(?:[你您就先再都还]|直接|马上|现在|赶紧|立刻|帮我|给我|帮忙|一下|下)*` +
    String.raw`(?:${REACH}|${STAFF}|(?:跟|和|同)${REACH_GAP}(?:${REACHABLE})[^,，。!?\s]{0,4}?(?:沟通|说|聊|谈|确认|讲|反映|对接)` +
    // "老铁也没有专属人工吗 帮我接一下": the person named before, the wish says only "put me through".
    String.raw`|(?:转接|转|接通|接|叫|联系|安排)(?:一下|下)?(?=[吧呗啊呀哈谢]|[\s,，。!?]|$))`,
  'g',
);

/** A polite request, asked as a question: "能帮我转一下吗", "可以安排人工吗", "能人工吗", "能不能叫个活人来". */
export const POLITE_REQUEST = new RegExp(
  String.raw`(?:能不能|能否|可不可以|可否|可以|能)(?:直接|马上|现在|先)?(?:帮我|帮忙|给我|麻烦)?(?:转接|转给|转到|转|接通|接|叫|喊|联系|安排|让|派|来)(?!过)|(?:能|可以)(?:${STAFF})`,
  'g',
);

/**
 * Calling for a person who should be there: "客服在吗", "人工呢", "有没有活人啊", "有人管吗", "人工！".
 * Read in a clause without a time in it: "周末的时候人工客服还有人在吗" asks about the weekend.
 */
export const SUMMONS_PERSON = new RegExp(
  String.raw`(?:${STAFF})(?:妹妹|小姐姐|姐姐|们)?(?:在吗|在么|在嘛|在不在|在不|呢|人呢|出来|!)|有没有(?:活|真)?人(?:啊|呀|在|管|理|吗|[\s\p{P}]|$)|有人(?:在吗|吗|管吗|管管|理)`,
  'u',
);
/** A time that makes "有人在吗" a question about the staff's hours. */
export const SUMMONS_TIME = /周末|周六|周日|晚上|半夜|夜里|凌晨|早上|中午|节假日|假期|过年|春节|几点|时候|以后|下次/;

/** Asking the staff to call her back: "让我的专属客服联系我", "专属顾问能不能打给我". */
export const CALL_ME_BACK = new RegExp(
  String.raw`(?:专属客服|专属顾问|客服|人工)[^,，。!?]{0,4}(?:联系我|找我|打给我|加我|回我电话|给我打电话)`,
);

/** A clause that is the person and nothing else: "人工", "真人客服", "转个人工呗". */
export const BARE_PERSON = new RegExp(String.raw`^(?:${STAFF}|[转接个]|服务)+(?:[呗吧啊呀哈]|谢谢?|啦|先|急+)*$`);

/** Addressing the staff with an errand: "人工客服麻烦接一下单子的问题". */
export const ADDRESSES_STAFF = new RegExp(String.raw`(?:${STAFF})[^,，。!?]{0,4}?(?:麻烦|请)?(?:接一下|来处理|来一下|回复一下|处理一下|出来)`);

/**
 * A question in a clause: a question particle or word, an A-not-A ending ("休息不"), or only asking
 * ("好奇", "先问问"). "什么破客服" exclaims, it does not ask.
 */
export const CLAUSE_QUESTION = new RegExp(
  String.raw`吗|么[\s\p{P}\p{S}]*$|\?|几|多久|多少|多长|多快|怎么|怎样|如何|咋|是不是|是否|有没有|什么(?!破|鬼|玩意|东西)|啥|哪|谁|会不会|能不能|可不可以|要不要|还是(?=机器|ai|人工|真人|全是|只有)|不[\s\p{P}\p{S}]*$|(?:休息|上班|在|有|收费|要钱)不|是真的|真的假的|区别|意思|(?:就|只是|先|随便)问问?|问问而已|好奇|了解下|了解一下|打听`,
  'u',
);

/** A remark on the staff, not a call for them: thanks to one, praise, a likeness ("跟真人一样"). */
export const CLAUSE_REMARK = /谢谢(?:她|他|你们的)|替我谢|帮我谢|态度|挺好|很好|真好|不错|好快|挺快|很快|表扬|夸|一样|耐心|专业/;

/** What, just before a wish or a verb, makes it no request now: a condition, a later time, the past ("如果我要找人工", "上次转人工"). */
export const NOT_NOW_BEFORE = /(?:如果|要是|假如|万一|假设|以后|下次|之后|将来|回头|上次|之前|以前|刚才|刚刚|那次|上回|昨天|前天)[^,，。!?\s]{0,3}$/;

/** What the staff do, or whether anyone is there, that a question may ask without naming them: "半夜有没有人值班", "多久才有人回". */
export const STAFF_DUTY = /有人|人回|值班|上班|下班|在线|服务时间|营业时间|排队/;

/** English: the staff named, a wish for one, and a question. */
// "agent" alone is a referral tier ("how do I become an agent"), "someone" anyone: neither names the staff.
export const EN_PERSON =
  /\b(humans?|real person|actual person|live person|(human|live|support|service) agent|manager|supervisor|representative|operator|staff|customer (service|support|care))\b/;
export const EN_WISH = new RegExp(
  [
    String.raw`\b(transfer|connect|put|pass|hand) me\b`,
    String.raw`\bget me (a |an |the |your |some )?(real |live )?(human|person|manager|supervisor|agent|someone|somebody|representative|rep|operator)\b`,
    String.raw`\b(i|we)('d| would)? (want|need|like|wanna|demand)( to)? (talk|speak|chat) (to|with)\b`,
    String.raw`\blet me (talk|speak|chat) (to|with)\b`,
    String.raw`\b(can|could|may) i (please )?(talk|speak|chat) (to|with) (a |an |the |your |some )?(real |live )?(human|person|manager|supervisor|agent|someone|somebody|representative|staff)\b`,
    String.raw`\b(human|person|agent|representative|operator|manager|someone)( agent)? (please|pls|plz)\b`,
  ].join('|'),
);
/** "…if I ask for one later?", "when I need someone": a condition, not a request. */
export const EN_NOT_NOW = /\b(if|when|once) (i|we)\b|\blater\b|\bnext time\b|\bin the future\b/;
export const EN_QUESTION = /\?|^(what|when|how|is|are|do|does|can|could|will|would|who|where|which)\b|\bjust (curious|asking|wondering)\b/;

/** Pinyin: the staff named, a request for one ("zhuan ren gong", "wo yao zhao ren"), a summons, a question. */
export const PY_PERSON = /(ren+g? ?gong|zhen ?ren|huo ?ren|ke ?fu)\b/;
export const PY_REQUEST =
  /\b(zhuan|zhao|jiao|jie|yao)( ?(ge|yi ?ge|xia|yi ?xia))? ?(ren+g? ?gong|zhen ?ren|ke ?fu|huo ?ren|ren)\b|\bzai (ma|bu ?zai)\b|\byou ren (zai )?ma\b/;
export const PY_QUESTION = /\bma\b(?! ?shang)|\b(me|ne|ji ?dian|duo ?jiu|duo ?chang|shen ?me|sha|zen ?me|shi ?bu ?shi|you ?mei ?you|ji ?ge|xiao ?shi)\b/;

/** A request for a person that the shopper declines in the same breath ("不用转人工", "先不麻烦人工了"). */
export const DECLINED_REQUEST =
  /(不用|不要|不需要|别|无需|不必|不是要|没说要|不想|不)(帮我)?(麻烦|转|找|叫|赚|砖|传)?(接)?(人工|客服|真人)|(转人工|人工|客服).{0,8}(点错|手滑|按错|不用了|不需要了|算了|先不用|现在不用|先不转|不用转)|\bno (human|person|agent)\b|\bdon'?t (need|want) (a )?(human|person|agent)\b/;

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
