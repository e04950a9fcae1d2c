// Calendar days of the shop's timezone (birthdays, discount days and task periods are local days,
// Asia/Shanghai by default). The timezone arithmetic is PostgreSQL's, on both drivers.
import type { Queryable } from '../../db/db.ts';
import { localDate } from '../orders/localTime.ts';

export type LocalDay = string; // 'YYYY-MM-DD'

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseLocalDay(day: string): { year: number; month: number; day: number } | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const [year, month, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, d));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== d) return null;
  return { year, month, day: d };
}

/** A Date is read as the local day it falls on in the timezone; a string must be a valid day. */
export function toLocalDay(at: Date | string, timezone: string): LocalDay {
  if (typeof at !== 'string') return localDate(at, timezone);
  if (!parseLocalDay(at)) throw new RangeError(`not a calendar day: ${at}`);
  return at;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The instant a local day starts in the timezone. */
export async function startOfLocalDay(db: Queryable, day: LocalDay, timezone: string): Promise<Date> {
  const { rows } = await db.query<{ t: Date }>('SELECT ($1::date::timestamp AT TIME ZONE $2) AS t', [day, timezone]);
  return rows[0]!.t;
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}
