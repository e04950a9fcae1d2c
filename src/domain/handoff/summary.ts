// The summary staff read before they answer, written from data (deterministic, no model): who the
// shopper is, which orders they have, what they asked, and what the AI already tried and said — so
// the person never has to ask the shopper to repeat themselves.
import type { ReferralIdentity, Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { recentMessages } from '../conversations/repo.ts';
import { formatFen } from '../orders/money.ts';
import { listOwnOrders } from '../orders/repo.ts';
import { ORDER_STATUS_LABELS } from '../orders/status.ts';
import { TIER_LABELS } from '../lifecycle/labels.ts';
import { REASON_LABELS, REFERRAL_LABELS } from './labels.ts';
import type { HandoffReason } from './settings.ts';
import { describeToolInput, describeToolResult } from './toolResults.ts';

const RECENT_ORDERS = 3;
const ASKED = 3;
const REPLIES = 2;
const TRIED = 8;
const WINDOW = 30;
const CLIP = 160;
// The handoff request itself is not something the AI "tried" for the shopper (its note is shown apart).
const HANDOFF_TOOL = 'requestHandoff';

export interface TicketSummary {
  who: {
    nickname: string;
    tier: Tier;
    tierLabel: string;
    referralIdentity: ReferralIdentity;
    referralLabel: string;
    skinType: string | null;
  };
  reasons: Array<{ code: HandoffReason; label: string }>;
  note: string;
  orders: Array<{ orderNo: string; status: string; statusLabel: string; pay: string; createdAt: string }>;
  asked: string[];
  tried: Array<{ tool: string; input: string; result: string }>;
  replies: string[];
}

const clip = (s: string, n = CLIP) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? flat.slice(0, n) + '…' : flat;
};

async function shopperFacts(db: Queryable, shopId: string, shopperId: number) {
  const { rows } = await db.query<{ nickname: string; tier: Tier; referral_identity: ReferralIdentity; skin_type: string | null }>(
    'SELECT nickname, tier, referral_identity, skin_type FROM shoppers WHERE shop_id = $1 AND id = $2',
    [shopId, shopperId],
  );
  return rows[0] ?? null;
}

export async function buildSummary(
  db: Queryable,
  t: { shopId: string; shopperId: number; conversationId: string; reasons: readonly HandoffReason[]; note: string },
): Promise<{ summary: TicketSummary; text: string }> {
  const [shopper, orders, { messages }] = await Promise.all([
    shopperFacts(db, t.shopId, t.shopperId),
    listOwnOrders(db, { shopId: t.shopId, shopperId: t.shopperId }, { limit: RECENT_ORDERS }),
    recentMessages(db, t.conversationId, WINDOW),
  ]);
  const tier = shopper?.tier ?? 'new';
  const identity = shopper?.referral_identity ?? 'member';
  const summary: TicketSummary = {
    who: {
      nickname: shopper?.nickname ?? '',
      tier,
      tierLabel: TIER_LABELS[tier],
      referralIdentity: identity,
      referralLabel: REFERRAL_LABELS[identity],
      skinType: shopper?.skin_type ?? null,
    },
    reasons: t.reasons.map((code) => ({ code, label: REASON_LABELS[code] })),
    note: clip(t.note, 300),
    orders: orders.map((o) => ({
      orderNo: o.orderNo,
      status: o.status,
      statusLabel: ORDER_STATUS_LABELS[o.status],
      pay: formatFen(o.payFen),
      createdAt: o.createdAt.toISOString(),
    })),
    asked: messages.filter((m) => m.role === 'user').slice(-ASKED).map((m) => clip(m.content)),
    tried: messages
      .flatMap((m) => m.toolCalls)
      .filter((c) => c.name !== HANDOFF_TOOL)
      .slice(-TRIED)
      .map((c) => ({ tool: c.name, input: describeToolInput(c.input), result: describeToolResult(c.output) })),
    replies: messages.filter((m) => m.role === 'assistant' && m.content).slice(-REPLIES).map((m) => clip(m.content)),
  };
  return { summary, text: summaryText(summary) };
}

/** The same summary as lines of text, for a notification or a copy into another tool. */
export function summaryText(s: TicketSummary): string {
  const who = [s.who.tierLabel, `链动身份：${s.who.referralLabel}`, s.who.skinType].filter(Boolean).join('，');
  const lines = [
    `顾客：${s.who.nickname}（${who}）`,
    `转人工原因：${s.reasons.map((r) => r.label).join('；')}`,
    s.note && `AI 备注：${s.note}`,
    `最近订单：${s.orders.length ? s.orders.map((o) => `${o.orderNo}（${o.statusLabel}，${o.pay}）`).join('；') : '无'}`,
    `顾客说：${s.asked.length ? s.asked.map((a) => `「${a}」`).join(' ') : '（无）'}`,
    `AI 已尝试：${s.tried.length ? s.tried.map((c) => `${c.tool} ${c.result}`).join('；') : '未调用工具'}`,
    `AI 最后回复：${s.replies.length ? s.replies.map((r) => `「${r}」`).join(' ') : '（无）'}`,
  ];
  return lines.filter(Boolean).join('\n');
}
