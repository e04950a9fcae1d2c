// The agent's tool set. Each tool's name is written once, in its own file; this module checks at
// load that every export is listed under that same name, and derives every list of tools from the
// facts each tool declares (effect, confirm, subject), so evals, tests and prompts refer to tools
// through TOOL_NAMES and these lists — never a second spelling that could drift.
import type { ShopperCaller } from '../src/context.ts';
import { claimCoupon } from './claimCoupon.ts';
import { createAfterSales } from './createAfterSales.ts';
import type { AnyToolDef } from './defineTool.ts';
import { getOrder } from './getOrder.ts';
import { getPoints } from './getPoints.ts';
import { getMembership } from './getMembership.ts';
import { getProduct } from './getProduct.ts';
import { getReferralStatus } from './getReferralStatus.ts';
import { listBadges } from './listBadges.ts';
import { listReminders } from './listReminders.ts';
import { listTasks } from './listTasks.ts';
import { listVoteCampaigns } from './listVoteCampaigns.ts';
import { redeemPoints } from './redeemPoints.ts';
import { requestHandoff } from './requestHandoff.ts';
import { searchKnowledge } from './searchKnowledge.ts';
import { setReminderPreference } from './setReminderPreference.ts';
import { submitFeedback } from './submitFeedback.ts';
import { voteProduct } from './voteProduct.ts';
import { listCoupons } from './listCoupons.ts';
import { listOrders } from './listOrders.ts';
import { searchProducts } from './searchProducts.ts';
import { trackShipment } from './trackShipment.ts';

const TOOLS = {
  searchProducts,
  getProduct,
  listOrders,
  getOrder,
  trackShipment,
  createAfterSales,
  listCoupons,
  claimCoupon,
  getPoints,
  listTasks,
  redeemPoints,
  getReferralStatus,
  listVoteCampaigns,
  voteProduct,
  submitFeedback,
  listBadges,
  getMembership,
  listReminders,
  setReminderPreference,
  searchKnowledge,
  requestHandoff,
} satisfies Record<string, AnyToolDef>;

export type ToolName = keyof typeof TOOLS;

for (const [key, def] of Object.entries(TOOLS)) {
  if (def.name !== key) throw new Error(`tool exported as ${key} is named ${def.name}`);
}

export const ALL_TOOLS: readonly AnyToolDef[] = Object.values(TOOLS);

/** The definitions by name, typed: TOOLS.getOrder.output … */
export { TOOLS };

/** Every tool's name, by name: TOOL_NAMES.trackShipment === 'trackShipment'. */
export const TOOL_NAMES = Object.fromEntries(ALL_TOOLS.map((d) => [d.name, d.name])) as { readonly [K in ToolName]: K };

/**
 * The tools a shopper of this tier may use (the model is never shown the others). requestHandoff
 * only when the shop hands this shopper to a person at all.
 */
export function toolsFor(caller: ShopperCaller, opts: { handoff?: boolean } = {}): AnyToolDef[] {
  return ALL_TOOLS.filter((d) => (!d.tiers || d.tiers.includes(caller.tier)) && (d.name !== TOOLS.requestHandoff.name || opts.handoff));
}

const namesWhere = (test: (d: AnyToolDef) => boolean): ReadonlySet<string> => new Set(ALL_TOOLS.filter(test).map((d) => d.name));

/** Tools that only read: a suggested reply for staff may run these, never one that changes anything. */
export const READ_ONLY_TOOLS = namesWhere((d) => d.effect === 'read');

/** Tools that change the shopper's data: an eval counts one it did not ask for as an unrequested write. */
export const WRITE_TOOLS = namesWhere((d) => d.effect === 'write');

/** Writes that spend or cannot be undone: they wait for the shopper's yes. */
export const CONFIRMED_TOOLS = namesWhere((d) => d.confirm !== undefined);

/** Tools that answer order questions: when one of them breaks, a person takes over (tool_failure). */
export const ORDER_TOOLS = namesWhere((d) => d.subject === 'orders');

/** The definition of a tool by name, when it is one of ours. */
export function toolNamed(name: string): AnyToolDef | undefined {
  return (TOOLS as Record<string, AnyToolDef>)[name];
}
