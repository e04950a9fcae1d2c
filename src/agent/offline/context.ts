// What the agent loop tells the offline model about the shop and the shopper, through
// providerOptions.laotie. Every field is optional on the wire: a plain AI SDK client that sends
// nothing still gets a working model with the lexicon's defaults.
import type { SharedV3ProviderOptions } from '@ai-sdk/provider';
import { TIERS, type Tier } from '../../context.ts';
import { LEXICON } from './lexicon.ts';

export interface OfflineContext {
  shopName: string;
  advisorName: string;
  /** 'advisor' for core users and 老铁 (DOMAIN.md §3: the dedicated skincare advisor). */
  persona: 'card' | 'advisor';
  tier: Tier;
  nickname: string;
  /** The shop's local date, 'YYYY-MM-DD': "昨天买的" counts from it. */
  today: string;
  /** The catalog's own words, so the shopper's words map onto values a search can filter by. */
  categories: string[];
  colors: string[];
  skinTypes: string[];
  /** Whether a person can take over now; the requestHandoff tool being offered says the same. */
  handoffAvailable: boolean;
  /** The shopper's skin type from the profile; '' when unknown. */
  skinType?: string;
  /** IANA timezone for dates in replies; the shop's, default Asia/Shanghai. */
  timezone?: string;
}

export type ResolvedContext = Required<OfflineContext>;

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' && v.trim() ? v.trim() : fallback;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function localToday(timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The context from providerOptions, each missing or malformed field replaced by its default. */
export function readOfflineContext(providerOptions: SharedV3ProviderOptions | undefined): ResolvedContext {
  const raw = (providerOptions?.laotie ?? {}) as Record<string, unknown>;
  const defaults = LEXICON.contextDefaults;
  const tz = str(raw.timezone, defaults.timezone);
  const timezone = validTimezone(tz) ? tz : defaults.timezone;
  const tier = (TIERS as readonly string[]).includes(raw.tier as string) ? (raw.tier as Tier) : 'new';
  const persona = raw.persona === 'advisor' || raw.persona === 'card' ? raw.persona : tier === 'core' || tier === 'laotie' ? 'advisor' : 'card';
  const today = typeof raw.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw.today) ? raw.today : localToday(timezone);
  return {
    shopName: str(raw.shopName, defaults.shopName),
    advisorName: str(raw.advisorName, defaults.advisorName),
    persona,
    tier,
    nickname: str(raw.nickname, ''),
    today,
    categories: strings(raw.categories),
    colors: strings(raw.colors),
    skinTypes: strings(raw.skinTypes),
    handoffAvailable: raw.handoffAvailable === true,
    skinType: str(raw.skinType, ''),
    timezone,
  };
}
