// The one contract between the agent loop and the offline model, both ways, defined once: what a turn
// tells the model about the shop, the shopper and the message's assessment (providerOptions.laotie),
// and what a model call reports back about how it understood the message, or that the provider
// failed and the offline model answered instead (providerMetadata.laotie). Every field is optional on
// the wire and read with its default, so a plain AI SDK client that sends nothing still gets a
// working model.
import type { JSONObject, SharedV3ProviderMetadata, SharedV3ProviderOptions } from '@ai-sdk/provider';
import { z } from 'zod';
import { TIERS } from '../../context.ts';
import { MOODS } from '../../domain/handoff/anger.ts';
import { HANDOFF_REASONS } from '../../domain/handoff/settings.ts';

/** The provider key both ways. */
export const OFFLINE_PROVIDER = 'laotie';

const DEFAULTS = { shopName: '本店', advisorName: '小铁', timezone: 'Asia/Shanghai' } as const;

const text = (fallback: string) =>
  z
    .string()
    .transform((s) => s.trim())
    .catch(fallback)
    .transform((s) => s || fallback);
// A shop's word lists come with every turn as the same frozen arrays (the shop card's, cached per
// shop): filtered once per array, not once per turn (the product names are hundreds). An array that
// is not frozen may change between turns and is filtered every time. The result is frozen too, as
// it is shared by every turn that sends that array.
const WORD_LISTS_KEPT = new WeakMap<readonly unknown[], readonly string[]>();

function wordList(a: readonly unknown[]): readonly string[] {
  let out = WORD_LISTS_KEPT.get(a);
  if (!out) {
    out = Object.freeze(a.filter((x): x is string => typeof x === 'string' && x.trim() !== ''));
    if (Object.isFrozen(a)) WORD_LISTS_KEPT.set(a, out);
  }
  return out;
}
const words = z
  .unknown()
  .transform((v): string[] => (Array.isArray(v) ? (wordList(v) as string[]) : []))
  .catch([]);

// Building an Intl.DateTimeFormat is the costly part of a date (≈ 0.1 ms): one per timezone per
// process, not one per model call. Shops name a handful of zones; the bound only stops a client that
// sends a new string on every call from growing these without end.
const FORMATS_MAX = 256;
const validZones = new Map<string, boolean>();
const todayFormats = new Map<string, Intl.DateTimeFormat>();

function validTimezone(tz: string): boolean {
  let valid = validZones.get(tz);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      valid = true;
    } catch {
      valid = false;
    }
    if (validZones.size >= FORMATS_MAX) validZones.clear();
    validZones.set(tz, valid);
  }
  return valid;
}

export const turnInputSchema = z.object({
  shopName: text(DEFAULTS.shopName),
  advisorName: text(DEFAULTS.advisorName),
  /** 'advisor' for core users and 老铁 (docs/domain.md §9 Advisor); by tier when absent. */
  persona: z.enum(['card', 'advisor']).optional().catch(undefined),
  tier: z.enum(TIERS).catch('new'),
  nickname: text(''),
  /** The shop's local date, 'YYYY-MM-DD': "昨天买的" counts from it. Today in `timezone` when absent. */
  today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  /** The catalog's own words, so the shopper's words map onto values a search can filter by. */
  categories: words,
  colors: words,
  skinTypes: words,
  /** The products' names without brand and size: "精粹水" is named by a piece of one. */
  productNames: words,
  /** The shopper's skin type from the profile; '' when unknown. */
  skinType: text(''),
  /** IANA timezone for dates in replies; the shop's. */
  timezone: text(DEFAULTS.timezone).transform((tz) => (validTimezone(tz) ? tz : DEFAULTS.timezone)),
  /** The message's mood, judged once for the turn (domain/handoff/assessment.ts). */
  mood: z.enum(MOODS).catch('calm'),
  /** The shopper asks for a person (the turn's one judgement of it: the model does not decide it again). */
  askedForHuman: z.boolean().catch(false),
  /** Whether a person can take over for this shopper at all. */
  handoffAvailable: z.boolean().catch(false),
  /** The hand-offs the message calls for; the server carries them out after the turn, the model only words them. */
  handoff: z.array(z.enum(HANDOFF_REASONS)).catch([]),
  /**
   * What the message did to the action the card had stated (docs/domain.md §14 Confirmation): the
   * server ran it (its result is this turn's first tool call), cancelled it, found it expired, or
   * found it run by her other yes sent at the same moment; `saidYes` when the shopper said yes to an
   * action that did not run in this turn.
   */
  confirmation: z
    .object({ outcome: z.enum(['none', 'confirmed', 'declined', 'dropped', 'expired', 'confirmed_elsewhere']), tool: z.string().optional(), saidYes: z.boolean().optional() })
    .catch({ outcome: 'none' }),
});

export type TurnInput = z.input<typeof turnInputSchema>;

/** The turn input with every default filled in, as the offline model works with it. */
export type ResolvedContext = Omit<z.output<typeof turnInputSchema>, 'persona' | 'today'> & { persona: 'card' | 'advisor'; today: string };

function localToday(timezone: string): string {
  let format = todayFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (todayFormats.size >= FORMATS_MAX) todayFormats.clear();
    todayFormats.set(timezone, format);
  }
  return format.format(new Date());
}

/** What the agent loop sends: plain JSON by construction. */
export function toProviderOptions(input: z.output<typeof turnInputSchema>): { [OFFLINE_PROVIDER]: JSONObject } {
  return { [OFFLINE_PROVIDER]: input as unknown as JSONObject };
}

// The AI SDK hands every step of one call the same providerOptions object: its parse (the catalog's
// word lists are most of it) is done once per turn, not once per step. Keyed weakly by that object,
// so it goes with the turn; `today` is still read per step.
const parsedInputs = new WeakMap<object, z.output<typeof turnInputSchema>>();

export function readTurnInput(providerOptions: SharedV3ProviderOptions | undefined): ResolvedContext {
  const raw = providerOptions?.[OFFLINE_PROVIDER];
  const key = raw && typeof raw === 'object' ? raw : undefined;
  let c = key && parsedInputs.get(key);
  if (!c) {
    c = turnInputSchema.parse(key ?? {});
    if (key) parsedInputs.set(key, c);
  }
  return {
    ...c,
    persona: c.persona ?? (c.tier === 'core' || c.tier === 'laotie' ? 'advisor' : 'card'),
    today: c.today ?? localToday(c.timezone),
  };
}

/** What a model call reports: how the offline model understood the message, or the provider's failure. */
export const turnReportSchema = z.object({
  intent: z.string().optional(),
  confidence: z.number().optional(),
  slots: z.record(z.string(), z.unknown()).optional(),
  /** Short answers the shopper can tap, when the model asked a question. */
  quickReplies: z.array(z.string()).optional(),
  /** The provider failed (after its retry) and the offline model answered this call. */
  fallback: z.object({ from: z.string(), reason: z.string() }).optional(),
});
export type TurnReport = z.infer<typeof turnReportSchema>;

export function toProviderMetadata(report: TurnReport): SharedV3ProviderMetadata {
  return { [OFFLINE_PROVIDER]: report as JSONObject };
}

/** The report of one model step, when it carries one. */
export function readTurnReport(metadata: SharedV3ProviderMetadata | undefined): TurnReport | undefined {
  const raw = metadata?.[OFFLINE_PROVIDER];
  if (!raw) return undefined;
  const r = turnReportSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}
