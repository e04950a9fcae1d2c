// The reminder rules a shop can configure (docs/domain.md §8 Reminders; like every number there, a
// default the shop may change). Stored in reminder_settings.settings; missing keys take these.
import { z } from 'zod';
import { TIERS } from '../../context.ts';

export const OCCASIONS = [
  'birthday',
  'secondPurchase',
  'replenishment',
  'discountDay',
  'anniversary',
  'winBack',
  'newProduct',
  'holiday',
] as const;
export type OccasionName = (typeof OCCASIONS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const tiers = (d: readonly (typeof TIERS)[number][]) => z.array(z.enum(TIERS)).default([...d]);
const ALL = TIERS;
const BUYERS = ['converted', 'potential', 'core', 'laotie'] as const;
const rank = (d: number) => z.number().int().min(0).max(1000).default(d);

// The value ranks decide which occasion wins when the caps allow only one (docs/domain.md §8 Reminders):
// the personal, money-bearing moments first, the mass greetings last.
export const reminderSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Local time of the daily run. */
  runAt: hhmm.default('08:00'),
  /** No delivery in these local hours: a reminder due then is moved to the end, never dropped. */
  quietHours: z.object({ start: hhmm, end: hhmm }).default({ start: '22:00', end: '08:00' }),
  caps: z
    .object({ perDay: z.number().int().min(1).max(10), perWeek: z.number().int().min(1).max(50) })
    .default({ perDay: 1, perWeek: 3 }),
  occasions: z
    .object({
      birthday: z.object({ enabled: z.boolean().default(true), rank: rank(100), tiers: tiers(ALL) }).prefault({}),
      secondPurchase: z
        .object({
          enabled: z.boolean().default(true),
          rank: rank(90),
          tiers: tiers(ALL),
          /**
           * First day after the first order to nudge, and the window (docs/domain.md §8 Reminders: within
           * 7 days).
           */
          startAfterDays: z.number().int().min(0).max(30).default(1),
          withinDays: z.number().int().min(1).max(30).default(7),
        })
        .prefault({}),
      replenishment: z
        .object({
          enabled: z.boolean().default(true),
          rank: rank(80),
          tiers: tiers(ALL),
          /** Remind this many days before a consumable runs out (last purchase + usage cycle). */
          leadDays: z.number().int().min(0).max(60).default(5),
          /** Days after the due day on which a reminder held back by the caps may still go. */
          graceDays: z.number().int().min(0).max(30).default(3),
        })
        .prefault({}),
      discountDay: z
        .object({
          enabled: z.boolean().default(true),
          rank: rank(70),
          /**
           * The monthly discount day of potential shoppers, reminded 3 days before
           * (docs/domain.md §8 Reminders).
           */
          tiers: tiers(['potential']),
          daysBefore: z.number().int().min(0).max(14).default(3),
        })
        .prefault({}),
      anniversary: z
        .object({
          enabled: z.boolean().default(true),
          rank: rank(60),
          tiers: tiers(BUYERS),
          /** Days and years after the first purchase (docs/domain.md §8 Reminders: 100 days, 1 year). */
          days: z.array(z.number().int().min(1).max(3650)).max(10).default([100]),
          years: z.array(z.number().int().min(1).max(50)).max(10).default([1]),
        })
        .prefault({}),
      winBack: z
        .object({
          enabled: z.boolean().default(true),
          rank: rank(50),
          tiers: tiers(BUYERS),
          afterDays: z.number().int().min(7).max(3650).default(60),
          graceDays: z.number().int().min(0).max(30).default(3),
        })
        .prefault({}),
      newProduct: z
        .object({
          enabled: z.boolean().default(true),
          rank: rank(40),
          tiers: tiers(BUYERS),
          launchedWithinDays: z.number().int().min(1).max(90).default(14),
          /** Cosine similarity of profile and product vectors below which no preview is sent. */
          minSimilarity: z.number().min(0).max(1).default(0.3),
        })
        .prefault({}),
      holiday: z
        .object({
          enabled: z.boolean().default(true),
          rank: rank(30),
          tiers: tiers(BUYERS),
          /** Which holidays of holidays.ts greet shoppers; all of them by default. */
          keys: z.array(z.string()).optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  outbox: z
    .object({
      maxAttempts: z.number().int().min(1).max(20).default(5),
      backoffBaseSeconds: z.number().int().min(1).max(3600).default(30),
      backoffMaxSeconds: z.number().int().min(1).max(86_400).default(3600),
    })
    .prefault({}),
  /** Model-written messages per run at most; the rest use the templates (cost and time bound). */
  maxModelMessagesPerRun: z.number().int().min(0).max(100_000).default(200),
  /** The WeChat subscribe-message templates the mall backend sends with (one per occasion). */
  subscribe: z
    .object({
      templateIds: z.partialRecord(z.enum(OCCASIONS), z.string().min(1).max(128)).default({}),
      defaultTemplateId: z.string().max(128).default(''),
      page: z.string().max(256).default('pages/card/index'),
    })
    .prefault({}),
});

export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;
export type ReminderSettingsInput = z.input<typeof reminderSettingsSchema>;

export function parseReminderSettings(raw: unknown): ReminderSettings {
  return reminderSettingsSchema.parse(raw ?? {});
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = parseReminderSettings({});
