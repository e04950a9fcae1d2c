// The demo shoppers: the samples of samples.ts first, then random ones, with the case's tier shares
// (docs/domain.md §13 Reports: 老铁 7 %, potential + core 25 %). Referral links, potential scores and profile
// summaries are added later (referral.ts, profiles.ts), once the rest of the history exists.
import { TIERS, type Tier } from '../context.ts';
import { CATEGORIES } from './catalogData.ts';
import {
  FEMALE_GIVEN_NAMES,
  MALE_GIVEN_NAMES,
  NICKNAME_ADJECTIVES,
  NICKNAME_NAMES,
  NICKNAME_NOUNS,
  PHONE_PREFIXES,
  REGIONS,
  RESIDENCES,
  SURNAMES,
} from './peopleData.ts';
import type { Rng } from './rng.ts';
import { SAMPLE_SHOPPERS, type SampleShopperSpec } from './samples.ts';
import { DAY, isoDate, shanghaiDate } from './time.ts';
import type { Address, Gender, ShopperSeed, SkinType } from './types.ts';

// 240 shoppers: 17 老铁 ≈ 7 %, 34 + 26 potential and core = 25 %, 24 new = 10 %, the rest converted.
const TIER_COUNTS: Record<Tier, number> = { new: 24, converted: 139, potential: 34, core: 26, laotie: 17 };

// Longer-standing tiers registered earlier; a new shopper registered within the last month.
const REGISTERED_DAYS_AGO: Record<Tier, readonly [number, number]> = {
  new: [1, 30],
  converted: [8, 330],
  potential: [60, 330],
  core: [120, 345],
  laotie: [200, 360],
};

const SKIN_WEIGHTS: ReadonlyArray<readonly [SkinType, number]> = [
  ['混合皮', 30],
  ['干皮', 25],
  ['油皮', 20],
  ['敏感肌', 15],
  ['中性皮', 10],
];

const BEAUTY_CATEGORIES = CATEGORIES.filter((c) => !c.household).map((c) => c.name);
const HOUSEHOLD_CATEGORY = CATEGORIES.find((c) => c.household)!.name;

export function generateShoppers(rng: Rng, now: number): ShopperSeed[] {
  const phones = new Set<string>();
  const samples = SAMPLE_SHOPPERS.map((spec) => sampleShopper(rng, spec, now, phones));
  const tiers = rng.shuffle(
    TIERS.flatMap((tier) => Array<Tier>(TIER_COUNTS[tier] - SAMPLE_SHOPPERS.filter((s) => s.tier === tier).length).fill(tier)),
  );
  const random = tiers.map((tier, i) => randomShopper(rng, now, samples.length + i + 1, tier, phones));
  return [...samples, ...random];
}

function sampleShopper(rng: Rng, spec: SampleShopperSpec, now: number, phones: Set<string>): ShopperSeed {
  const phone = uniquePhone(rng, phones);
  return {
    ...blankShopper(),
    openid: spec.openid,
    nickname: spec.nickname,
    phone,
    birthday: birthday(now, spec.birthdayInDays ?? rng.int(15, 364), rng.int(22, 34)),
    gender: spec.gender,
    skinType: spec.skinType,
    tier: spec.tier,
    identity: spec.identity,
    referrerOpenid: spec.referrerOpenid,
    registeredAt: now - spec.registeredDaysAgo * DAY,
    address: address(rng, spec.gender, phone),
    favouriteCategories: spec.favouriteCategories,
  };
}

function randomShopper(rng: Rng, now: number, n: number, tier: Tier, phones: Set<string>): ShopperSeed {
  const gender = rng.weighted<Gender>([['f', 85], ['m', 10], ['u', 5]]);
  const phone = uniquePhone(rng, phones);
  const [from, to] = REGISTERED_DAYS_AGO[tier];
  return {
    ...blankShopper(),
    openid: `demo-openid-${String(n).padStart(4, '0')}`,
    nickname: nickname(rng),
    phone,
    birthday: birthday(now, rng.int(0, 364), rng.int(19, 42)),
    gender,
    skinType: rng.weighted(SKIN_WEIGHTS),
    tier,
    registeredAt: now - Math.round(rng.between(from, to) * DAY),
    // Marketing opt-outs exist: reminders must respect them.
    marketingConsent: !rng.chance(0.06),
    address: address(rng, gender, phone),
    favouriteCategories: [
      ...rng.sample(BEAUTY_CATEGORIES, rng.int(2, 3)),
      ...(rng.chance(0.35) ? [HOUSEHOLD_CATEGORY] : []),
    ],
  };
}

function blankShopper(): Pick<
  ShopperSeed,
  'potentialScore' | 'identity' | 'referrerOpenid' | 'referralBoundAt' | 'marketingConsent' | 'profileSummary'
> {
  return { potentialScore: null, identity: 'member', referrerOpenid: null, referralBoundAt: null, marketingConsent: true, profileSummary: '' };
}

function nickname(rng: Rng): string {
  const style = rng.int(1, 10);
  if (style <= 5) return rng.pick(NICKNAME_ADJECTIVES) + rng.pick(NICKNAME_NOUNS);
  if (style <= 8) return rng.pick(NICKNAME_NAMES) + (rng.chance(0.4) ? String(rng.int(1, 99)) : '');
  return `小${rng.pick(NICKNAME_NOUNS).slice(-1)}`;
}

function uniquePhone(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const phone = rng.pick(PHONE_PREFIXES) + rng.digits(8);
    if (!taken.has(phone)) {
      taken.add(phone);
      return phone;
    }
  }
}

/** The birthday that comes `inDays` after `now`, of someone turning `age` then. */
function birthday(now: number, inDays: number, age: number): string {
  const next = shanghaiDate(now + inDays * DAY);
  // No seeded birthday on 29 February: it would not exist in most years.
  return isoDate({ year: next.year - age, month: next.month, day: next.month === 2 && next.day === 29 ? 28 : next.day });
}

function address(rng: Rng, gender: Gender, phone: string): Address {
  const region = rng.weighted(REGIONS.map((r) => [r, r.weight] as const));
  const given = rng.pick(gender === 'm' ? MALE_GIVEN_NAMES : FEMALE_GIVEN_NAMES);
  const municipality = region.province === region.city;
  return {
    name: rng.pick(SURNAMES) + given,
    phone,
    region: `${municipality ? '' : region.province}${region.city}${region.district}`,
    city: region.city,
    district: region.district,
    detail: `${rng.pick(region.streets)}${rng.int(1, 999)}号${rng.pick(RESIDENCES)}${rng.int(1, 20)}幢${rng.int(1, 30)}0${rng.int(1, 4)}室`,
  };
}
