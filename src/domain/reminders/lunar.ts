// lunar-javascript (6tail) converts between the Gregorian and the Chinese lunar calendar. It ships
// no type declarations and is CommonJS, so it is loaded through require with the little we use typed.
import { createRequire } from 'node:module';

interface LunarDate {
  /** Negative for a leap month (闰月). */
  getMonth(): number;
  getDay(): number;
}
interface LunarModule {
  Solar: { fromYmd(y: number, m: number, d: number): { getLunar(): LunarDate } };
}

const lunar = createRequire(import.meta.url)('lunar-javascript') as LunarModule;

/** The lunar month (negative when leap) and day of a Gregorian date. */
export function lunarMonthDay(year: number, month: number, day: number): { month: number; day: number } {
  const l = lunar.Solar.fromYmd(year, month, day).getLunar();
  return { month: l.getMonth(), day: l.getDay() };
}
