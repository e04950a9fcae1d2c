// The voice of the card: templates rendered in the shopper's language with the card's own names
// filled in, and the shared formatting of dates and lists. Every reply* module speaks through this.
import { dateTimeFormat } from '../../text/dateFormat.ts';
import type { ResolvedContext } from './contract.ts';
import type { Lang } from './language.ts';
import { hasTemplate, render, type Vars } from './templates.ts';

export interface Say {
  lang: Lang;
  ctx: ResolvedContext;
  /** A template with the card's names (shopName, advisorName, nickname) always available. */
  t(key: string, vars?: Vars): string;
  has(key: string): boolean;
  /** '11月20日 14:30' / 'Nov 20, 14:30' in the shop's timezone; '' for no date. */
  dateTime(iso: string): string;
  date(iso: string): string;
  /** A list in running text: '豆沙、正红' / 'nude, red'. */
  list(items: readonly string[]): string;
}

const LOCALES: Record<Lang, string> = { zh: 'zh-CN', en: 'en-US' };

export function createSay(lang: Lang, ctx: ResolvedContext): Say {
  const common = { shopName: ctx.shopName, advisorName: ctx.advisorName, nickname: ctx.nickname || render(lang, 'common.nickname_fallback') };
  const format = (iso: string, opts: Intl.DateTimeFormatOptions) => {
    const d = new Date(iso);
    if (!iso || Number.isNaN(d.getTime())) return '';
    return dateTimeFormat(LOCALES[lang], { timeZone: ctx.timezone, ...opts }).format(d);
  };
  return {
    lang,
    ctx,
    t: (key, vars = {}) => render(lang, key, { ...common, ...vars }),
    has: (key) => hasTemplate(lang, key),
    dateTime: (iso) => format(iso, { month: lang === 'zh' ? 'long' : 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }),
    date: (iso) => format(iso, { month: lang === 'zh' ? 'long' : 'short', day: 'numeric' }),
    list: (items) => items.join(render(lang, 'common.list_separator')),
  };
}

/** Reply pieces joined into one message, empty pieces left out. */
export function lines(...parts: (string | false | undefined | null)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join('\n');
}

// Shopper-visible text quoted from tool results is capped: a reply quotes, it does not recite.
const QUOTE_MAX = 120;

/**
 * Text from a tool result (a product description, a knowledge passage) made safe to quote: data
 * only — sentences that read like instructions to an assistant are dropped, links removed, and the
 * rest cut to a readable length. The model never acts on this text; this keeps it from being shown.
 */
export function quote(text: string, looksLikeInstruction: (sentence: string) => boolean, max = QUOTE_MAX): string {
  const sentences = text
    .replace(/https?:\/\/\S+/g, '')
    .split(/(?<=[。！？!?；;\n])/)
    .map((s) => s.trim())
    .filter((s) => s && !looksLikeInstruction(s));
  let out = '';
  for (const s of sentences) {
    if (out && out.length + s.length > max) break;
    out += s;
  }
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
