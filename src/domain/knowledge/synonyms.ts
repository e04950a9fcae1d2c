// Shoppers and the shop's documents name the same thing differently: "多久寄出" asks what
// "下单后几天能发货" answers. Each group is one meaning; a question's word also matches its group's
// other words, counted as the word itself (a chunk is not rewarded twice for one meaning).
// Shop-independent: the words of Chinese online retail, not of one shop's rules.
const GROUPS: readonly (readonly string[])[] = [
  ['发货', '寄出', '发出', '寄货', '出库', '揽收'],
  ['到货', '收到', '送到', '到达', '签收'],
  ['多久', '几天', '多长时间', '时效', '啥时候', '什么时候', '几时'],
  ['退款', '退钱', '返款'],
  ['到账', '退回来', '回来'],
  ['退货', '退回', '寄回'],
  ['换货', '调换', '更换'],
  ['优惠券', '券', '卡券'],
  ['正品', '真货', '假货', '真假', '假冒', '假的', '假'],
  ['赔', '赔偿', '赔付', '赔钱', '补偿'],
  ['叠加', '一起用', '同时使用', '一起', '同时', '同用'],
  ['临期', '过期', '保质期', '有效期'],
  ['人工', '客服', '真人', '人工客服'],
  ['上班', '工作时间', '服务时间', '在线时间'],
  ['奖励', '收益', '提成', '佣金', '分成', '赚钱', '赚'],
  ['朋友', '好友', '闺蜜'],
  ['转赠', '转给', '转让', '送人', '送给'],
  ['账号', '小号'],
  ['建议', '意见', '反馈', '想法'],
  ['直推奖', '直推', '推荐奖励', '推广奖励'],
  ['层', '层级', '级'],
  ['快递', '物流', '快递公司', '顺丰', '中通', '圆通', '韵达'],
  ['运费', '邮费', '包邮', '免邮'],
  ['拆封', '拆开', '打开', '开封'],
  ['赠品', '小样', '试用装'],
  ['生日', '过生日'],
  ['不喜欢', '不想要', '无理由', '不合适'],
  ['压坏', '破损', '摔坏', '碎了', '漏液'],
  ['会员', '等级'],
];

const GROUP_OF = new Map<string, readonly string[]>();
for (const g of GROUPS) for (const w of g) GROUP_OF.set(w, g);

/**
 * The other words of the query words' groups that the documents use (document frequency > 0),
 * each mapped to the query word it stands for; none that the query already has.
 */
export function synonymsOf(terms: readonly string[], df: ReadonlyMap<string, number>): Map<string, string> {
  const asked = new Set(terms);
  const out = new Map<string, string>();
  for (const t of terms) {
    for (const alt of GROUP_OF.get(t) ?? []) {
      if (alt !== t && !asked.has(alt) && !out.has(alt) && (df.get(alt) ?? 0) > 0) out.set(alt, t);
    }
  }
  return out;
}

/** Every word of the groups of these words: their document frequencies are looked up with the query's. */
export function synonymCandidates(terms: readonly string[]): string[] {
  return terms.flatMap((t) => GROUP_OF.get(t) ?? []);
}
