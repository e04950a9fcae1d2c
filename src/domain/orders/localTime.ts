// Dates said to a shopper are the shop's local dates (Asia/Shanghai by default), not UTC ones:
// a window that closes at 01:00 Beijing time closed "on the 11th", not "on the 10th".
import { dateTimeFormat } from '../../text/dateFormat.ts';

/** '2026-03-11' in the given IANA timezone. */
export function localDate(at: Date, timezone: string): string {
  return dateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short' }).format(at);
}

/** '2026-03-11 04:00' in the given IANA timezone. */
export function localDateTime(at: Date, timezone: string): string {
  return dateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' }).format(at);
}
