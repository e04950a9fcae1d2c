// Replies about the shopper's membership and reminders, written only from getMembership,
// listReminders and setReminderPreference results.
import { lines, type Say } from './replies.ts';
import type { Membership, ReminderPreference, Reminders } from './results.ts';

// Benefits worth naming in one reply; the tool lists them all.
const BENEFITS_SHOWN = 4;

export function membershipReply(say: Say, m: Membership, askedAboutDemotion: boolean): string {
  const next = m.nextTier;
  const unmet = next ? [...next.requirements.all, ...(next.requirements.any?.of ?? [])].filter((r) => !r.met) : [];
  return lines(
    say.t('member.tier', { tier: m.tier.label, since: m.tier.since ? say.date(m.tier.since) : say.t('member.since_unknown') }),
    m.benefits.length > 0 && say.t('member.benefits', { benefits: say.list(m.benefits.slice(0, BENEFITS_SHOWN).map((b) => b.name)) }),
    next
      ? next.ready
        ? say.t('member.next_ready', { next: next.label })
        : say.t('member.next', {
            next: next.label,
            needs: say.list(unmet.map((r) => r.text)),
            ...(next.requirements.any ? { atLeast: next.requirements.any.atLeast } : { atLeast: 0 }),
          })
      : say.t('member.top'),
    next && next.blockedBy.length > 0 && say.t('member.blocked', { why: say.list(next.blockedBy.map((r) => r.text)) }),
    next && next.gains.length > 0 && say.t('member.gains', { gains: say.list(next.gains.slice(0, BENEFITS_SHOWN).map((b) => b.name)) }),
    askedAboutDemotion && (m.demotion ? say.t('member.demotion', { to: m.demotion.label, when: say.list(m.demotion.when.all.map((r) => r.text)) }) : say.t('member.no_demotion')),
  );
}

/** An occasion's name in the reply's language: the shop's own label in Chinese, ours in others. */
function labelOf(say: Say, o: { occasion: string; label: string }): string {
  const key = `reminders.label_${o.occasion}`;
  return say.lang !== 'zh' && say.has(key) ? say.t(key) : o.label;
}

function monthDay(month: number, day: number): string {
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, day)));
}

export function remindersReply(say: Say, r: Reminders, occasion: string | undefined, wantsSwitch: boolean | undefined): string {
  const active = r.occasions.filter((o) => o.active);
  if (wantsSwitch !== undefined && !occasion) {
    return lines(say.t(wantsSwitch ? 'reminders.which_on' : 'reminders.which_off'), say.list(r.occasions.map((o) => labelOf(say, o))));
  }
  const about = occasion && occasion !== 'all' ? r.occasions.find((o) => o.occasion === occasion) : undefined;
  const upcoming = r.upcoming.filter((u) => !about || u.occasion === about.occasion);
  const recent = r.recent.filter((x) => !about || x.occasion === about.occasion).slice(0, 3);
  return lines(
    occasion === 'birthday' || (!about && r.birthday)
      ? r.birthday
        ? say.t('reminders.birthday', { date: say.lang === 'zh' ? r.birthday.text : monthDay(r.birthday.month, r.birthday.day) })
        : say.t('reminders.no_birthday')
      : undefined,
    about
      ? say.t(about.active ? 'reminders.occasion_on' : about.switchedOff ? 'reminders.occasion_off_by_you' : 'reminders.occasion_off', {
          label: labelOf(say, about),
          description: say.lang === 'zh' ? about.description : '',
        })
      : !r.marketingAllowed
        ? say.t('reminders.none_allowed')
        : say.t('reminders.active', { labels: say.list(active.map((o) => labelOf(say, o))) || say.t('reminders.nothing') }),
    // The domain words upcoming dates and sent reminders in Chinese: other languages get the labels only.
    ...(say.lang === 'zh' ? upcoming.slice(0, 3).map((u) => say.t('reminders.upcoming', { text: u.text })) : []),
    recent.length > 0 && say.t('reminders.recent_intro'),
    ...recent.map((x) => say.t('reminders.recent', { date: say.date(x.sentAt), label: labelOf(say, x), coupon: x.coupon ? say.t('reminders.with_coupon', { rule: x.coupon.rule }) : '' })),
    say.t('reminders.switch_hint'),
  );
}

export function switchedReply(say: Say, s: ReminderPreference): string {
  return say.lang === 'zh' ? s.message : say.t(s.enabled ? 'reminders.switched_on' : 'reminders.switched_off', { label: labelOf(say, s) });
}
