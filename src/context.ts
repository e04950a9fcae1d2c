// The context passed down every request: who is calling (from the verified token only) and the
// dependencies. No module-level singletons; tests build their own with a fixed clock.
import type { Db } from './db/db.ts';
import type { Embedder } from './embed/embedder.ts';
import type { Logger } from './log.ts';

export const TIERS = ['new', 'converted', 'potential', 'core', 'laotie'] as const;
export type Tier = (typeof TIERS)[number];
export const ROLES = ['shopper', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const REFERRAL_IDENTITIES = ['member', 'agent', 'boss'] as const;
export type ReferralIdentity = (typeof REFERRAL_IDENTITIES)[number];

export interface Caller {
  shopId: string;
  role: Role;
  /** The shopper's id for role 'shopper'; the staff member's id otherwise. */
  userId: string;
}

/**
 * The shopper a verified token names, not yet looked up: a chat turn reads the shopper (tier
 * included) in its own first round of reads rather than in one of its own before it.
 */
export interface TokenShopper {
  shopId: string;
  shopperId: number;
}

/** A shopper caller, resolved from the token and the database (tier as stored now). */
export interface ShopperCaller {
  shopId: string;
  shopperId: number;
  tier: Tier;
  referralIdentity: ReferralIdentity;
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
}
