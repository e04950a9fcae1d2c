// Time arithmetic for the seed, in epoch milliseconds. Everything is relative to the seed's `now`.
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// Mainland China has one time zone and no daylight saving time: the shop's local time (Asia/Shanghai)
// is UTC+8 all year, so a fixed offset is exact.
const SHANGHAI_OFFSET = 8 * HOUR;

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export function shanghaiDate(ms: number): LocalDate {
  const d = new Date(ms + SHANGHAI_OFFSET);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 00:00 in Shanghai of the day `ms` falls on. */
export function shanghaiDayStart(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
}

/** The instant of a Shanghai wall-clock time. */
export function shanghaiTime(date: LocalDate, hour = 0, minute = 0): number {
  return Date.UTC(date.year, date.month - 1, date.day, hour, minute) - SHANGHAI_OFFSET;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'yyyymmdd' of the Shanghai day (order and request numbers). */
export function compactDate(ms: number): string {
  const d = shanghaiDate(ms);
  return `${d.year}${pad(d.month)}${pad(d.day)}`;
}

/** 'yyyy-mm-dd' of a local date (a date column). */
export function isoDate(d: LocalDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
