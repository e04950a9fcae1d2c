// lunar-javascript (6tail) converts between the Gregorian and the Chinese lunar calendar. It ships
// no type declarations and is CommonJS, so it is loaded through require with the little we use typed.
import { createRequire } from 'node:module';

interface LunarDate {
  /** Negative for a leap month (闰月). */
  getMonth(): number;
  getDay(): number;
  getYear(): number;
  getSolar(): { toYmd(): string };
}
interface LunarModule {
  Solar: { fromYmd(y: number, m: number, d: number): { getLunar(): LunarDate } };
  Lunar: { fromYmd(y: number, m: number, d: number): LunarDate };
}

const lunar = createRequire(import.meta.url)('lunar-javascript') as LunarModule;

/** The lunar month (negative when leap) and day of a Gregorian date. */
export function lunarMonthDay(year: number, month: number, day: number): { month: number; day: number } {
  const l = lunar.Solar.fromYmd(year, month, day).getLunar();
  return { month: l.getMonth(), day: l.getDay() };
}

/** The Gregorian date 'YYYY-MM-DD' of a (non-leap) lunar month and day of a lunar year. */
export function solarOfLunar(lunarYear: number, month: number, day: number): string {
  return lunar.Lunar.fromYmd(lunarYear, month, day).getSolar().toYmd();
}
