// What a tool call did, in one line for staff: its input as the fields it was given, and its result
// as what it returned. The tools' outputs (their output schemas in tools/*.ts) come in a few shapes,
// and each shape has one summariser, so a new tool is summarised without being named here:
//   a failure      { error: { code, message } }
//   a pending write { pending: true, summary }             waiting for the shopper's yes
//   a decision     { claimed | accepted | … : false, reason, message } refused, or true and done
//   a record       one thing, named by orderNo / requestNo / name / title (getProduct, getOrder, …)
//   a collection   lists of things, maybe beside a balance (listOrders, searchProducts, getPoints, …)
// The domain never imports the tools (they import it), so shapes are read from the values.

type Fields = Record<string, unknown>;

const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const clip = (s: string, n: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? flat.slice(0, n) + '…' : flat;
};

// How a list of a collection is counted, by its field name in the output schemas; a list not named
// here is counted in 项.
const COUNTED: Readonly<Record<string, string>> = {
  orders: '个订单',
  products: '件商品',
  results: '条资料',
  usable: '张可用券',
  claimable: '张可领券',
  redeem: '种可兑换券',
  redeemable: '种可兑换券',
  recent: '条近期记录',
  tasks: '个任务',
  earned: '枚已得勋章',
  toEarn: '枚待得勋章',
  campaigns: '个投票',
  history: '次等级变化',
  benefits: '项权益',
  occasions: '类提醒',
  upcoming: '个即将到来的提醒',
};
const NAMED_IN_LIST = 3;

/** The thing a record is: 订单 LT…, 售后单 AS…, 「悦颜 面霜」. */
function identityOf(o: Fields): string | null {
  if (isText(o.orderNo)) return `订单 ${o.orderNo}`;
  if (isText(o.requestNo)) return `售后单 ${o.requestNo}`;
  if (isText(o.name)) return `「${clip(o.name, 40)}」`;
  if (isText(o.title)) return `「${clip(o.title, 40)}」`;
  return null;
}

/** Its state in words: the labels (statusLabel, orderStatusLabel …), its own and one level down. */
function labelsOf(o: Fields): string[] {
  const own = Object.entries(o).filter(([k, v]) => (k === 'label' || k.endsWith('Label') || k === 'identityName') && isText(v));
  const nested = Object.values(o)
    .filter(isFields)
    .flatMap((inner) => Object.entries(inner).filter(([k, v]) => (k === 'label' || k === 'statusLabel') && isText(v)));
  return [...new Set([...own, ...nested].map(([, v]) => v as string))];
}

/** Money as the tools display it (¥179.00), and a product that cannot be bought now. */
function figuresOf(o: Fields): string[] {
  const money = ['price', 'pay', 'amount'].map((k) => o[k]).filter(isText);
  const stock = o.inStock === false ? ['缺货'] : [];
  const balance = typeof o.balance === 'number' ? [`${o.balance} 积分`] : [];
  return [...money, ...stock, ...balance];
}

function describeRecord(o: Fields, identity: string): string {
  const details = [...labelsOf(o), ...figuresOf(o)];
  return details.length ? `${identity}（${details.join('，')}）` : identity;
}

function describeCollection(o: Fields): string | null {
  const lists = Object.entries(o).filter(([, v]) => Array.isArray(v) && v.every(isFields)) as Array<[string, Fields[]]>;
  if (!lists.length) return null;
  const counted = lists.map(([key, items]) => {
    const names = items.slice(0, NAMED_IN_LIST).map(identityOf).filter((x): x is string => x !== null);
    const more = key === 'orders' && o.hasMore === true ? '（还有更多）' : '';
    return `${items.length} ${COUNTED[key] ?? '项'}${more}${names.length ? '：' + names.join('、') : ''}`;
  });
  return [...labelsOf(o), ...figuresOf(o), ...counted].join('；');
}

// The flag a write's answer turns on (claimCoupon's claimed, createAfterSales' accepted …): false
// with a reason and a message is a refusal, true is done. Named, because stored outputs are jsonb,
// whose keys come back in its own order, not the schema's.
const DECISION_FLAGS = ['accepted', 'claimed', 'redeemed', 'submitted', 'voted'] as const;

function decisionOf(o: Fields): boolean | null {
  const flag = DECISION_FLAGS.find((k) => typeof o[k] === 'boolean');
  return flag ? (o[flag] as boolean) : null;
}

/** One line about a tool's answer, from its shape. */
export function describeToolResult(output: unknown): string {
  if (!isFields(output)) return Array.isArray(output) ? `${output.length} 项` : '成功';
  if (isFields(output.error)) return `失败（${isText(output.error.code) ? output.error.code : 'error'}）`;
  if (output.pending === true && isText(output.summary)) return `待顾客确认：${clip(output.summary, 80)}`;
  const decision = decisionOf(output);
  if (decision === false) return `未办成：${isText(output.message) ? clip(output.message, 80) : isText(output.reason) ? output.reason : ''}`;
  const identity = identityOf(output);
  const what =
    (identity && describeRecord(output, identity)) ||
    describeCollection(output) ||
    (isText(output.message) ? clip(output.message, 80) : [...labelsOf(output), ...figuresOf(output)].join('，'));
  if (decision === true) return what ? `已办成：${what}` : '已办成';
  return what || '成功';
}

/** A call's input as the fields it was given ('orderNo=LT…, limit=3'); empty and null fields left out. */
export function describeToolInput(input: unknown, max = 80): string {
  if (!isFields(input)) return '';
  const parts = Object.entries(input).flatMap(([k, v]) => {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return [];
    const shown = Array.isArray(v) ? v.join('、') : isFields(v) ? JSON.stringify(v) : String(v);
    return [`${k}=${shown}`];
  });
  return clip(parts.join(', '), max);
}
