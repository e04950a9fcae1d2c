// What the shopper is told about a handoff, from prompt files: a person is coming and roughly when,
// or honestly that staff are off duty and when they are back (the AI keeps helping meanwhile) — in
// English to a shopper who writes English, in Chinese otherwise.
import { localClock } from '../domain/reminders/time.ts';
import { detectLanguage } from './offline/language.ts';
import type { ServiceHours } from '../domain/handoff/settings.ts';
import type { HandoffStatus } from '../domain/handoff/views.ts';
import { renderPrompt } from './prompts.ts';

export type NoticeLang = 'zh' | 'en';

/** The language of the notice: the message's own, Chinese when it has none (an emoji, an order number). */
export function noticeLanguage(message: string): NoticeLang {
  return detectLanguage(message) ?? 'zh';
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function prompt(name: string, lang: NoticeLang): string {
  return lang === 'en' ? `${name}.en` : name;
}

/** '今天 09:00', '明天 09:00' or '9月18日 09:00' in the shop's timezone ('today 09:00', 'Sep 18 09:00' in English). */
export function whenBack(backAt: Date, now: Date, timezone: string, lang: NoticeLang = 'zh'): string {
  const back = localClock(backAt, timezone);
  const today = localClock(now, timezone).date;
  const tomorrow = localClock(new Date(now.getTime() + 86_400_000), timezone).date;
  const hhmm = `${String(Math.floor(back.minutes / 60)).padStart(2, '0')}:${String(back.minutes % 60).padStart(2, '0')}`;
  const [, m, d] = back.date.split('-').map(Number);
  const day =
    lang === 'en'
      ? back.date === today ? 'today' : back.date === tomorrow ? 'tomorrow' : `${EN_MONTHS[m! - 1]} ${d}`
      : back.date === today ? '今天' : back.date === tomorrow ? '明天' : `${m}月${d}日`;
  return `${day} ${hhmm}`;
}

export function afterHoursNotice(status: HandoffStatus, hours: ServiceHours, now: Date, lang: NoticeLang = 'zh'): string {
  return renderPrompt(prompt('handoff-after-hours', lang), {
    start: hours.start,
    end: hours.end,
    backAt: status.backAt ? whenBack(new Date(status.backAt), now, hours.timezone, lang) : lang === 'en' ? 'the next shift' : '上班',
  });
}

/** Said in the turn that hands over. */
export function handoffNotice(status: HandoffStatus, hours: ServiceHours, now: Date, opts: { modelSaidSo: boolean; lang?: NoticeLang }): string {
  const lang = opts.lang ?? 'zh';
  if (status.status !== 'open') return '';
  if (!status.onDuty) return afterHoursNotice(status, hours, now, lang);
  const vars = { place: (status.position ?? 0) + 1, minutes: status.expectedWithinMinutes ?? 0 };
  return renderPrompt(prompt(opts.modelSaidSo ? 'handoff-eta' : 'handoff-queued', lang), vars);
}

/** Said to a message sent while waiting for a person; nothing once a person is talking. */
export function waitingNotice(status: HandoffStatus, lang: NoticeLang = 'zh'): string {
  if (status.status !== 'open') return '';
  return renderPrompt(prompt('handoff-waiting', lang), { place: (status.position ?? 0) + 1, minutes: status.expectedWithinMinutes ?? 0 });
}
