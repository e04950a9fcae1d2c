// The context passed down every request: who is calling (from the verified token only) and the
// dependencies. No module-level singletons; tests build their own with a fixed clock.
import type { Db } from './db/db.ts';
import type { Embedder } from './embed/embedder.ts';
import type { Shop } from './domain/shops/repo.ts';
import type { Logger } from './log.ts';

export const TIERS = ['new', 'converted', 'potential', 'core', 'laotie'] as const;
export type Tier = (typeof TIERS)[number];
export const ROLES = ['shopper', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const REFERRAL_IDENTITIES = ['member', 'agent', 'boss'] as const;
export type ReferralIdentity = (typeof REFERRAL_IDENTITIES)[number];

/**
 * Who a verified token names — the one identity from the token to the tool. A shopper is named by
 * our numeric id (src/auth/tokens.ts takes it only in its canonical spelling), a staff member or admin
 * by their own id in the shop. Nothing but a verified token makes one.
 */
export type Caller = ShopperIdentity | StaffIdentity;

export interface ShopperIdentity {
  role: 'shopper';
  shopId: string;
  shopperId: number;
}

export interface StaffIdentity {
  role: 'staff' | 'admin';
  shopId: string;
  staffId: string;
}

/**
 * A shopper as the tools act for them: who the token names, with what the database says of them
 * now (the tier decides persona and tools). A chat turn reads it in its own first round of reads.
 */
export interface ShopperCaller extends ShopperIdentity {
  tier: Tier;
  referralIdentity: ReferralIdentity;
}

/** The identity a role and an id name (the token's claims, a CLI's arguments); null when the id cannot be one. */
export function callerOf(shopId: string, role: Role, id: string | number): Caller | null {
  if (role !== 'shopper') return { role, shopId, staffId: String(id) };
  const shopperId = typeof id === 'number' ? id : /^[1-9]\d{0,14}$/.test(id) ? Number(id) : NaN;
  return Number.isSafeInteger(shopperId) && shopperId > 0 ? { role, shopId, shopperId } : null;
}

/** The id a token's sub carries for this identity. */
export function subjectOf(caller: Caller): string {
  return caller.role === 'shopper' ? String(caller.shopperId) : caller.staffId;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
export function fixedClock(at: Date | string): Clock {
  const t = new Date(at);
  return { now: () => new Date(t) };
}

export interface Deps {
  db: Db;
  embedder: Embedder;
  clock: Clock;
  log: Logger;
}

/** What every tool's execute receives: the caller it acts for, and the dependencies. */
export interface ToolContext extends Deps {
  caller: ShopperCaller;
  /** The conversation the call is made in (absent over MCP): a hand-off and a pending action belong to it. */
  conversationId?: string;
  /** The caller's shop as the chat turn read it at its start (its card); tools read it afresh when absent. */
  shop?: Shop;
}
