// τ-style tasks (evals/frozen/tasks.jsonl), in the manner of τ-bench retail: a shopper with a goal,
// played by a scripted simulator that opens with one of four phrasings, answers the card's
// clarifying questions from the goal, and confirms (or declines) the action the card states. A run
// is graded by the final database state — exactly the rows the task must leave, for this shopper —
// and by the facts some reply must carry. pass^1 is the share of runs that pass; pass^4 the share
// of tasks whose four phrasings all pass.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runTurn } from '../src/agent/runTurn.ts';
import type { ChatTurnResult } from '../src/agent/turn.ts';
import type { ShopperCaller } from '../src/context.ts';
import type { Queryable } from '../src/db/db.ts';
import { itemsOfOrders } from '../src/domain/orders/items.ts';
import { listOwnOrders, type Order } from '../src/domain/orders/repo.ts';
import { DEV_ONLY_FILES, Task } from './frozen/validate.ts';
import { at, replyHasFact } from './grading.ts';
import { matchesOnly, readJsonl, splitOf, type Only, type Split } from './singles.ts';
import type { Worlds } from './world.ts';

// The simulated shopper's answers to a stated action, one per phrasing (pass^4 tries them all).
const YES = ['确认', '好的', '对 就这个', 'yes'];
const NO = ['算了 先不用了', '不要了', '取消吧', 'no thanks'];
const MAX_SHOPPER_TURNS = 6;
const FROZEN_DIR = fileURLToPath(new URL('./frozen/', import.meta.url));

export function loadTasks(split: Split, only?: Only): Task[] {
  const ids = new Set(splitOf().tasks[split]);
  const frozen = readJsonl('tasks.jsonl')
    .map((v) => Task.parse(v))
    .filter((t) => ids.has(t.id));
  // Tasks written after the freeze are dev only (DEV_ONLY_FILES).
  const later = split === 'dev' ? [...DEV_ONLY_FILES].filter((f) => f.startsWith('tasks-') && existsSync(FROZEN_DIR + f)).flatMap((f) => readJsonl(f).map((v) => Task.parse(v))) : [];
  return [...frozen, ...later].filter((t) => matchesOnly(t.id, only));
}

/** Which of the goal's facts a question of the card asks for. */
const QUESTIONS: ReadonlyArray<[keyof Task['answers'], RegExp]> = [
  ['order', /哪一单|哪个订单|哪笔|哪一笔|是哪单|哪单|which order/i],
  ['kind', /退货还是换货|换货还是退|退款还是|退货退款.*换货|return or (an )?exchange|refund or/i],
  ['reason', /原因|为什么|哪里不满意|什么问题|reason|what went wrong/i],
  ['coupon', /哪一张|哪张|哪个券|哪种券|which coupon/i],
  ['product', /哪一款|哪款|哪个商品|哪件|哪个产品|which product|which one/i],
];

/** The simulated shopper's next message after the card's reply, or null when the task is over for them. */
export function nextMessage(t: Task, phrasing: number, result: ChatTurnResult): string | null {
  if (result.pendingAction) return (t.confirm ? YES : NO)[phrasing % YES.length]!;
  const reply = result.reply;
  const asks = /[？?]\s*$|[？?]\n|请(告诉|选择|回复|问)|回复(序号|数字)|选一/.test(reply);
  if (!asks) return null;
  for (const [key, pattern] of QUESTIONS) {
    const answer = t.answers[key] ?? (key === 'product' ? t.answers.item : undefined);
    if (pattern.test(reply) && answer) return answer;
  }
  return t.answers.default ?? null;
}

/** The order a task is about, found in the database as the shopper's orders stand at the start. */
async function targetOrder(db: Queryable, caller: ShopperCaller, t: Task): Promise<{ order: Order; itemName: string } | null> {
  const sel = t.target?.order;
  if (!sel) return null;
  const orders = await listOwnOrders(db, caller, {
    statuses: sel.status ? [sel.status] : undefined,
    productKeyword: sel.productKeyword,
    limit: 50,
  });
  const order = orders[(sel.nth ?? 1) - 1];
  if (!order) return null;
  const items = (await itemsOfOrders(db, caller.shopId, [order.id])).get(order.id) ?? [];
  const item = items.find((i) => !sel.productKeyword || i.productName.includes(sel.productKeyword)) ?? items[0];
  return { order, itemName: item?.productName ?? '' };
}

type Rows = Record<string, Record<string, unknown>[]>;

/** The shopper's rows in every table a task grades, each row with a key that says whether it is new. */
async function rowsOf(db: Queryable, caller: ShopperCaller): Promise<Rows> {
  const q = async (sql: string) => (await db.query<Record<string, unknown>>(sql, [caller.shopId, caller.shopperId])).rows;
  const prefs = await db.query<{ t: string | null }>("SELECT to_regclass('reminder_preferences')::text AS t");
  return {
    after_sales: await q(`SELECT 'a' || id AS key, order_id, kind FROM after_sales WHERE shop_id = $1 AND shopper_id = $2`),
    coupons: await q(
      `SELECT 'c' || c.id AS key, CASE WHEN c.issue_key LIKE 'redeem:%' THEN 'points' WHEN c.issue_key LIKE 'claim:%' THEN 'claim' ELSE 'policy' END AS source,
              t.name FROM coupons c JOIN coupon_templates t ON t.id = c.template_id WHERE c.shop_id = $1 AND c.shopper_id = $2`,
    ),
    points_ledger: await q(`SELECT 'p' || id AS key, delta FROM points_ledger WHERE shop_id = $1 AND shopper_id = $2`),
    votes: await q(`SELECT campaign_id || ':' || product_id AS key FROM votes WHERE shop_id = $1 AND shopper_id = $2`),
    feedback: await q(`SELECT 'f' || id AS key FROM feedback WHERE shop_id = $1 AND shopper_id = $2`),
    handoff_tickets: await q(`SELECT 't' || id AS key FROM handoff_tickets WHERE shop_id = $1 AND shopper_id = $2`),
    reminder_preferences: prefs.rows[0]?.t
      ? await q(`SELECT occasion || ':' || enabled AS key, occasion, enabled FROM reminder_preferences WHERE shop_id = $1 AND shopper_id = $2`)
      : [],
  };
}

function newRows(before: Rows, after: Rows): Rows {
  const out: Rows = {};
  for (const [table, rows] of Object.entries(after)) {
    const seen = new Set((before[table] ?? []).map((r) => r.key));
    out[table] = rows.filter((r) => !seen.has(r.key));
  }
  return out;
}

/** Whether the new rows are exactly the expected ones (for each table the task names). */
function gradeRows(t: Task, created: Rows, target: { order: Order } | null): string[] {
  const reasons: string[] = [];
  for (const [table, expected] of Object.entries(t.expectRows) as [string, Record<string, unknown>[] | undefined][]) {
    if (!expected) continue;
    const got = created[table] ?? [];
    if (got.length !== expected.length) {
      reasons.push(`${table}: ${got.length} new row(s), expected ${expected.length}`);
      continue;
    }
    const left = [...got];
    for (const want of expected) {
      const i = left.findIndex((row) => rowMatches(table, row, want, target));
      if (i < 0) reasons.push(`${table}: no new row like ${JSON.stringify(want)} (got ${JSON.stringify(got.map(({ key: _key, ...r }) => r))})`);
      else left.splice(i, 1);
    }
  }
  return reasons;
}

function rowMatches(table: string, row: Record<string, unknown>, want: Record<string, unknown>, target: { order: Order } | null): boolean {
  return Object.entries(want).every(([k, v]) => {
    if (table === 'after_sales' && k === 'order') return v === 'target' && target !== null && Number(row.order_id) === target.order.id;
    if (table === 'points_ledger' && k === 'deltaSign') return v === '-' ? Number(row.delta) < 0 : Number(row.delta) > 0;
    return row[k] === v;
  });
}

export interface TaskRun {
  id: string;
  family: string;
  phrasing: number;
  passed: boolean;
  reasons: string[];
  turns: { user: string; reply: string; tools: string[]; pending: boolean }[];
}

export async function playTask(worlds: Worlds, t: Task, phrasing: number): Promise<TaskRun> {
  const world = await worlds.fresh();
  // Every run may write: the next one starts from the snapshot again.
  worlds.dirty();
  const caller = world.callers.get(t.shopper);
  if (!caller) throw new Error(`${t.id}: no sample shopper ${t.shopper}`);
  const target = await targetOrder(world.db, caller, t);
  if (t.target && !target) return { id: t.id, family: t.family, phrasing, passed: false, reasons: ['the target order is not in the data'], turns: [] };
  const before = await rowsOf(world.db, caller);
  const turns: TaskRun['turns'] = [];
  const results: ChatTurnResult[] = [];
  let message: string | null = t.phrasings[phrasing]!;
  let conversationId: string | undefined;
  while (message !== null && turns.length < MAX_SHOPPER_TURNS) {
    const result = await runTurn(world.deps, caller, { message, ...(conversationId ? { conversationId } : {}) });
    conversationId = result.conversationId;
    results.push(result);
    turns.push({ user: message, reply: result.reply, tools: result.toolCalls.map((c) => c.name), pending: result.pendingAction !== null });
    message = nextMessage(t, phrasing, result);
  }
  const reasons = gradeRows(t, newRows(before, await rowsOf(world.db, caller)), target);
  const replies = results.map((r) => r.reply).join('\n');
  const outputs = results.flatMap((r) => r.toolCalls);
  for (const fact of t.replyFacts ?? []) {
    if (typeof fact === 'string') {
      if (!replies.includes(fact)) reasons.push(`no reply says "${fact}"`);
    } else if ('fromDb' in fact) {
      const value = fact.fromDb === 'target.orderNo' ? target?.order.orderNo : target?.itemName;
      if (!value || !replies.includes(value)) reasons.push(`no reply names ${fact.fromDb} (${value ?? 'none'})`);
    } else {
      const value = at(outputs.find((c) => c.name === fact.fromTool && at(c.output, fact.path) !== undefined)?.output, fact.path);
      if (typeof value !== 'string' && typeof value !== 'number') reasons.push(`no ${fact.fromTool}.${fact.path} in any tool result`);
      else if (!replyHasFact(replies, value)) reasons.push(`no reply says ${fact.fromTool}.${fact.path} = "${value}"`);
    }
  }
  return { id: t.id, family: t.family, phrasing, passed: reasons.length === 0, reasons, turns };
}
