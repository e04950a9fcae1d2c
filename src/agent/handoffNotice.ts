// What the shopper is told about a handoff, from prompt files: a person is coming and roughly when,
// or honestly that staff are off duty and when they are back (the AI keeps helping meanwhile).
import { localClock } from '../domain/reminders/time.ts';
import type { ServiceHours } from '../domain/handoff/settings.ts';
import type { HandoffStatus } from '../domain/handoff/views.ts';
import { renderPrompt } from './prompts.ts';

/** '今天 09:00', '明天 09:00' or '9月18日 09:00' in the shop's timezone. */
export function whenBack(backAt: Date, now: Date, timezone: string): string {
  const back = localClock(backAt, timezone);
  const today = localClock(now, timezone).date;
  const tomorrow = localClock(new Date(now.getTime() + 86_400_000), timezone).date;
  const hhmm = `${String(Math.floor(back.minutes / 60)).padStart(2, '0')}:${String(back.minutes % 60).padStart(2, '0')}`;
  const [, m, d] = back.date.split('-').map(Number);
  const day = back.date === today ? '今天' : back.date === tomorrow ? '明天' : `${m}月${d}日`;
  return `${day} ${hhmm}`;
}

export function afterHoursNotice(status: HandoffStatus, hours: ServiceHours, now: Date): string {
  return renderPrompt('handoff-after-hours', {
    start: hours.start,
    end: hours.end,
    backAt: status.backAt ? whenBack(new Date(status.backAt), now, hours.timezone) : '上班',
  });
}

/** Said in the turn that hands over. */
export function handoffNotice(status: HandoffStatus, hours: ServiceHours, now: Date, opts: { modelSaidSo: boolean }): string {
  if (status.status !== 'open') return '';
  if (!status.onDuty) return afterHoursNotice(status, hours, now);
  const vars = { place: (status.position ?? 0) + 1, minutes: status.expectedWithinMinutes ?? 0 };
  return renderPrompt(opts.modelSaidSo ? 'handoff-eta' : 'handoff-queued', vars);
}

/** Said to a message sent while waiting for a person; nothing once a person is talking. */
export function waitingNotice(status: HandoffStatus): string {
  if (status.status !== 'open') return '';
  return renderPrompt('handoff-waiting', { place: (status.position ?? 0) + 1, minutes: status.expectedWithinMinutes ?? 0 });
}
