// The hand-picked shoppers the README and the start-up banner point at: one per tier plus a boss and
// an agent, each with a situation worth trying in the chat. The rest of the shoppers are random.
import type { ReferralIdentity, Tier } from '../context.ts';
import type { Scenario } from './lifecycle.ts';
import type { Gender, OrderFate, PotentialScore, SkinType } from './types.ts';

export interface SampleShopperSpec {
  openid: string;
  nickname: string;
  gender: Gender;
  skinType: SkinType;
  tier: Tier;
  identity: ReferralIdentity;
  referrerOpenid: string | null;
  registeredDaysAgo: number;
  /** Birthday this many days after `now`; null: a random one. */
  birthdayInDays: number | null;
  favouriteCategories: string[];
  latestOrder: Scenario | null;
  /** Fates of the 2nd, 3rd … orders (the first is always a plain purchase). */
  historyFates?: OrderFate[];
  /** For a converted shopper: the score instead of a random one. */
  potentialScore?: PotentialScore;
  /** Least items total of the first order (a high-potential first order: ≥ 80 yuan paid). */
  minFirstOrderFen?: number;
  /** A consumable bought this many days ago, nearly used up (replenishment reminder). */
  consumable?: { productType: string; daysAgo: number };
  note: string;
}

export const SAMPLE_SHOPPERS: readonly SampleShopperSpec[] = [
  {
    openid: 'demo-openid-0001',
    nickname: '小雨',
    gender: 'f',
    skinType: '干皮',
    tier: 'laotie',
    identity: 'boss',
    referrerOpenid: null,
    registeredDaysAgo: 340,
    birthdayInDays: 5,
    favouriteCategories: ['粉底液', '精华', '面霜', '家居日用'],
    latestOrder: 'inTransit',
    historyFates: ['normal', 'refundAfterDelivery', 'normal', 'cancelledByShopper'],
    consumable: { productType: '洗衣液', daysAgo: 52 },
    note: '老铁 boss, 干皮: latest order in transit (ask 我的订单到哪了); birthday in 5 days; 洗衣液 bought 52 days ago is nearly used up; dedicated advisor; team of agents',
  },
  {
    openid: 'demo-openid-0002',
    nickname: '桃子',
    gender: 'f',
    skinType: '油皮',
    tier: 'core',
    identity: 'agent',
    referrerOpenid: 'demo-openid-0001',
    registeredDaysAgo: 250,
    birthdayInDays: null,
    favouriteCategories: ['洁面', '防晒', '粉底液'],
    latestOrder: 'deliveredRecent',
    note: 'core agent (referred by 0001): latest order delivered within 3 days, inside the 7-day return window (ask 我要退货)',
  },
  {
    openid: 'demo-openid-0003',
    nickname: 'Momo',
    gender: 'f',
    skinType: '混合皮',
    tier: 'potential',
    identity: 'member',
    referrerOpenid: null,
    registeredDaysAgo: 150,
    birthdayInDays: null,
    favouriteCategories: ['口红', '眼影', '面膜'],
    latestOrder: 'deliveredOld',
    note: 'potential: latest order delivered 8–9 days ago, outside the return window (ask 还能退货吗); discount day on the 15th (8折)',
  },
  {
    openid: 'demo-openid-0004',
    nickname: '安静的鱼',
    gender: 'f',
    skinType: '敏感肌',
    tier: 'converted',
    identity: 'member',
    referrerOpenid: null,
    registeredDaysAgo: 6,
    birthdayInDays: null,
    favouriteCategories: ['精华', '面霜', '化妆水'],
    latestOrder: 'awaitingShipment',
    potentialScore: 'high',
    minFirstOrderFen: 9_000,
    note: 'converted, high potential: first order paid, not shipped yet (ask 什么时候发货); holds the 满120减30 second-purchase coupon',
  },
  {
    openid: 'demo-openid-0005',
    nickname: '新来的小鹿',
    gender: 'f',
    skinType: '干皮',
    tier: 'new',
    identity: 'member',
    referrerOpenid: 'demo-openid-0002',
    registeredDaysAgo: 2,
    birthdayInDays: null,
    favouriteCategories: ['粉底液', '面霜'],
    latestOrder: null,
    note: 'new, no orders (referred by 0002): ask 适合干皮的粉底液 200以内; holds a 新人券 满99减10',
  },
  {
    openid: 'demo-openid-0006',
    nickname: '阿May',
    gender: 'f',
    skinType: '混合皮',
    tier: 'core',
    identity: 'boss',
    referrerOpenid: null,
    registeredDaysAgo: 300,
    birthdayInDays: null,
    favouriteCategories: ['香水', '口红', '身体护理'],
    latestOrder: 'inTransit',
    note: 'core boss with agents in the team (ask 我的团队 / 我的奖励); latest order in transit',
  },
  {
    openid: 'demo-openid-0007',
    nickname: '柚子茶',
    gender: 'f',
    skinType: '中性皮',
    tier: 'potential',
    identity: 'agent',
    referrerOpenid: 'demo-openid-0006',
    registeredDaysAgo: 200,
    birthdayInDays: null,
    favouriteCategories: ['面膜', '卸妆', '美妆工具'],
    latestOrder: 'inTransit',
    note: 'potential agent (referred by boss 0006): bought the activation kit; latest order in transit',
  },
];

export const SAMPLE_BY_OPENID: ReadonlyMap<string, SampleShopperSpec> = new Map(SAMPLE_SHOPPERS.map((s) => [s.openid, s]));
