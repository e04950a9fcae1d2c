// The shopper's membership and reminders (docs/domain.md §3 Tiers, §8 Reminders): the tier, what it
// gives and what the next one needs, from getMembership; the reminders — the birthday on file,
// what is coming up, what was sent — from listReminders; and switching an occasion off or on with
// setReminderPreference, only when the shopper plainly asks to.
import type { ToolInput } from '../../../tools/defineTool.ts';
import { TOOLS } from '../../../tools/index.ts';
import { callOr, cannot, reply, valueOf, type Decision, type Flow } from './flow.ts';
import { LEXICON } from './lexicon.ts';
import { containsTerm } from '../../text/normalize.ts';
import { romanisedSays, soundsLike } from '../../text/phonetic.ts';
import { membershipReply, remindersReply, switchedReply } from './replyMember.ts';

const { getMembership, listReminders, setReminderPreference } = TOOLS;

export function membershipFlow(f: Flow): Decision {
  const m = valueOf(f, getMembership);
  if (m) return reply(membershipReply(f.say, m, LEXICON.membershipDemotion.some((t) => containsTerm(f.u.norm, t))));
  return callOr(f, getMembership, {}, cannot(f, 'membership'));
}

/** The occasion a clause names ("补货提醒" → replenishment, 补获 by its sound too; "所有提醒" → all), if any. */
function occasionOf(clause: string): string | undefined {
  return Object.entries(LEXICON.reminderOccasions).find(([, words]) => words.some((w) => containsTerm(clause, w) || soundsLike(clause, w)))?.[0];
}

// A bare 关 / 开 closing the message ("补货提醒 关", "帮我开一下") switches as plainly as 关掉.
const OFF_AT_END = /(?:关|停)(?:掉|了|闭|上|一下)?(?:吧|啦)?[\s\p{P}]*$/u;
const NOT_YET = /(?:不急着|不用|先别|别|不想|不要)(?:关|开)/u;
// "不要补货提醒", "不用每次都发生日祝福": not wanting a kind of reminder, its name between ("别忘了提醒我" wants one).
const OFF_NAMED = /(?:不要|不用|不需要|不想要|别)(?:(?!忘|记得)[^，,。！!？?\s]){0,6}(?:提醒|推送|通知|祝福)/u;
const ON_AT_END = /开(?:一下|着|启|通|了)?(?:吧|啦)?[\s\p{P}]*$/u;
// "turn the holiday greetings off": the English verb and its particle around what is switched.
const OFF_SPLIT = /\b(?:turn|switch|shut)\b[^.!?]{0,40}\boff\b/u;
const ON_SPLIT = /\b(?:turn|switch)\b[^.!?]{0,40}\bon\b/u;

/** Whether a clause asks to switch reminders off (false) or on (true); undefined when it only asks about them. */
function switchOf(clause: string, f: Flow): boolean | undefined {
  const off = LEXICON.reminderOff.some((t) => containsTerm(clause, t) || romanisedSays(clause, t)) || OFF_AT_END.test(clause) || OFF_SPLIT.test(clause) || OFF_NAMED.test(clause);
  const on = LEXICON.reminderOn.some((t) => containsTerm(clause, t) || romanisedSays(clause, t)) || ((ON_AT_END.test(clause) || ON_SPLIT.test(clause)) && !off);
  // "补货提醒能关吗" asks whether it can be done; "关掉补货提醒" asks to do it; "不急着关" does not.
  if (f.u.slots.question && !f.u.slots.request) return undefined;
  if (NOT_YET.test(clause)) return undefined;
  if (off && !on) return false;
  if (on && !off) return true;
  return undefined;
}

/** The clause that switches something ("节日的留着 但新品预告关掉" → 新品预告, off). */
function wantedSwitch(f: Flow): { occasion?: string; enabled?: boolean } {
  const clauses = f.u.norm.split(/[，,。；;！!]|\s+|但是?|不过|可是/).filter((c) => c.trim());
  for (const clause of clauses) {
    const enabled = switchOf(clause, f);
    if (enabled !== undefined) return { occasion: occasionOf(clause) ?? occasionOf(f.u.norm), enabled };
  }
  const enabled = switchOf(f.u.norm, f);
  return { occasion: occasionOf(f.u.norm), ...(enabled !== undefined ? { enabled } : {}) };
}

export function remindersFlow(f: Flow): Decision {
  const switched = valueOf(f, setReminderPreference);
  if (switched) return reply(switchedReply(f.say, switched));
  const { occasion, enabled } = wantedSwitch(f);
  if (enabled !== undefined && occasion) {
    return callOr(f, setReminderPreference, { occasion: occasion as ToolInput<typeof setReminderPreference>['occasion'], enabled }, cannot(f, 'reminders'));
  }
  const overview = valueOf(f, listReminders);
  if (overview) return reply(remindersReply(f.say, overview, occasion, enabled));
  return callOr(f, listReminders, {}, cannot(f, 'reminders'));
}
