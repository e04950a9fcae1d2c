// The handoff rules a shop can configure (docs/domain.md §10 Handoff), kept under
// shops.settings.handoff: every number is a default a shop can change. Staff hours are the shop's
// serviceHours in the shop's timezone.
import { z } from 'zod';
import { TIERS, type Tier } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { NotFound } from '../../errors.ts';
import { parseShopSettings } from '../shops/settings.ts';

export const HANDOFF_REASONS = ['asked_for_human', 'angry', 'unresolved', 'money', 'tool_failure', 'low_confidence'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export const handoffSettingsSchema = z.object({
  /** A shop can switch handing off to a person off entirely. */
  enabled: z.boolean().default(true),
  /** Tiers that may reach a person at all (e.g. only core and 老铁). */
  tiers: z.array(z.enum(TIERS)).default([...TIERS]),
  /** Which triggers may hand off. */
  triggers: z.array(z.enum(HANDOFF_REASONS)).default([...HANDOFF_REASONS]),
  /** Priority shoppers get the short SLA (docs/domain.md §10 Handoff: core users and 老铁, 3 min). */
  priorityTiers: z.array(z.enum(TIERS)).default(['core', 'laotie']),
  /** Minutes of service hours to the first human reply. */
  slaMinutes: z
    .object({ priority: z.number().int().min(1).max(1440).default(3), standard: z.number().int().min(1).max(1440).default(10) })
    .prefault({}),
  /** The offline model's confidence below which a turn counts as not understood. */
  lowConfidenceBelow: z.number().min(0).max(1).default(0.2),
  /** Anger score (weighted lexicon) at which a shopper counts as angry. */
  angryAt: z.number().int().min(1).max(20).default(3),
});
export type HandoffSettings = z.infer<typeof handoffSettingsSchema>;

export interface ServiceHours {
  start: string;
  end: string;
  timezone: string;
}

export interface ShopHandoffRules {
  handoff: HandoffSettings;
  hours: ServiceHours;
}

export function parseHandoffSettings(raw: unknown): HandoffSettings {
  return handoffSettingsSchema.parse(raw ?? {});
}

export async function loadHandoffRules(db: Queryable, shopId: string): Promise<ShopHandoffRules> {
  const { rows } = await db.query<{ settings: Record<string, unknown> | null; timezone: string }>(
    'SELECT settings, timezone FROM shops WHERE id = $1',
    [shopId],
  );
  const r = rows[0];
  if (!r) throw new NotFound('shop');
  const { serviceHours } = parseShopSettings(r.settings);
  return { handoff: parseHandoffSettings(r.settings?.handoff), hours: { ...serviceHours, timezone: r.timezone } };
}

/** Whether this shopper may be handed to a person at all (the requestHandoff tool is offered). */
export function handoffOffered(s: HandoffSettings, tier: Tier): boolean {
  return s.enabled && s.tiers.includes(tier) && s.triggers.length > 0;
}

/** The reasons of a turn that this shop lets hand off, for this shopper. */
export function allowedReasons(s: HandoffSettings, tier: Tier, reasons: readonly HandoffReason[]): HandoffReason[] {
  if (!handoffOffered(s, tier)) return [];
  return reasons.filter((r) => s.triggers.includes(r));
}
