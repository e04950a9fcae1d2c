// Shop-local calendar arithmetic. Reminders belong to the shop's local day (a birthday is the 17th in
// Shanghai, whatever the UTC date), and quiet hours are local hours (docs/domain.md §8 Reminders: personal,
// not at night). Dates are 'YYYY-MM-DD' strings; instants are Dates.

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.toISOString().slice(0, 10) === s;
}

function parts(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return [+m[1]!, +m[2]!, +m[3]!];
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}

export function dateParts(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = parts(date);
  return { year, month, day };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const fmt = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = fmt.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    fmt.set(tz, f);
  }
  return f;
}

/** The local wall-clock of an instant: date 'YYYY-MM-DD' and minutes since local midnight. */
export function localClock(at: Date, tz: string): { date: string; minutes: number } {
  const p = Object.fromEntries(formatter(tz).formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

export function localDateOf(at: Date, tz: string): string {
  return localClock(at, tz).date;
}

function offsetMs(at: number, tz: string): number {
  const p = Object.fromEntries(formatter(tz).formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return asUtc - (at - (at % 1000));
}

/** The instant at which the shop's clock shows `date` `time` (the earlier one if ambiguous). */
export function zonedInstant(date: string, time: string, tz: string): Date {
  const [y, m, d] = parts(date);
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let t = wall - offsetMs(wall, tz);
  t = wall - offsetMs(t, tz);
  return new Date(t);
}

export function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export interface QuietHours {
  start: string;
  end: string;
}

export function inQuietHours(minutes: number, q: QuietHours): boolean {
  const s = toMinutes(q.start);
  const e = toMinutes(q.end);
  if (s === e) return false;
  return s > e ? minutes >= s || minutes < e : minutes >= s && minutes < e;
}

/** `at`, or the end of the quiet hours it falls in (docs/domain.md §8 Reminders: shifted, never dropped). */
export function outOfQuietHours(at: Date, tz: string, q: QuietHours): Date {
  const { date, minutes } = localClock(at, tz);
  if (!inQuietHours(minutes, q)) return at;
  const e = toMinutes(q.end);
  const endDate = minutes >= e ? addDays(date, 1) : date;
  return zonedInstant(endDate, q.end, tz);
}
