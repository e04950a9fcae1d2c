// The staff's working hours as a clock: whether a person is on duty now, when the next shift starts,
// and SLA arithmetic that counts service minutes only (a ticket opened at 21:58 with a 10-minute SLA
// is due at 09:08 the next morning, not at 22:08 when nobody is there).
import { addDays, localClock, toMinutes, zonedInstant } from '../reminders/time.ts';
import type { ServiceHours } from './settings.ts';

const MINUTE = 60_000;
// Enough days to find the next shift even for a shop that is open one minute a day.
const MAX_DAYS = 400;

interface Shift {
  start: Date;
  end: Date;
}

/** The shift that starts on a local date; hours whose end is not after the start run past midnight. */
function shiftOn(date: string, h: ServiceHours): Shift | null {
  const s = toMinutes(h.start);
  const e = toMinutes(h.end);
  if (s === e) return null;
  const endDate = e > s ? date : addDays(date, 1);
  return { start: zonedInstant(date, h.start, h.timezone), end: zonedInstant(endDate, h.end, h.timezone) };
}

/** Shifts that end after `from`, in time order. */
function* shiftsFrom(from: Date, h: ServiceHours): Generator<Shift> {
  // The shift of the previous local day may still be running (hours past midnight).
  let date = addDays(localClock(from, h.timezone).date, -1);
  for (let i = 0; i < MAX_DAYS; i++, date = addDays(date, 1)) {
    const shift = shiftOn(date, h);
    if (shift && shift.end > from) yield shift;
  }
}

export function isOnDuty(at: Date, h: ServiceHours): boolean {
  for (const shift of shiftsFrom(at, h)) return shift.start <= at;
  return false;
}

/** `at` itself when staff are on duty, else the start of the next shift (null: no hours at all). */
export function nextOnDuty(at: Date, h: ServiceHours): Date | null {
  for (const shift of shiftsFrom(at, h)) return shift.start <= at ? at : shift.start;
  return null;
}

/** The instant `minutes` of service time after `from`. */
export function addServiceMinutes(from: Date, minutes: number, h: ServiceHours): Date {
  let left = minutes * MINUTE;
  for (const shift of shiftsFrom(from, h)) {
    const start = Math.max(from.getTime(), shift.start.getTime());
    const available = shift.end.getTime() - start;
    if (left <= available) return new Date(start + left);
    left -= available;
  }
  // No service hours configured: the SLA cannot run; count wall-clock time so tickets still sort.
  return new Date(from.getTime() + minutes * MINUTE);
}

/** Service milliseconds between two instants (negative when `to` is before `from`). */
export function serviceMsBetween(from: Date, to: Date, h: ServiceHours): number {
  if (to < from) return -serviceMsBetween(to, from, h);
  let total = 0;
  for (const shift of shiftsFrom(from, h)) {
    if (shift.start >= to) break;
    total += Math.min(to.getTime(), shift.end.getTime()) - Math.max(from.getTime(), shift.start.getTime());
  }
  return total;
}
