// The shopper's points, coupons and reminders as the offline model answers them, driven the way the
// agent loop drives it over canned tools shaped like the real ones: a question about a spending write
// states none for her yes, a request does, and the figures said are the tools' own.
import { type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { readsAsEnglish } from '../../../evals/grading.ts';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁优选',
  advisorName: '小美',
  tier: 'converted',
  today: '2026-11-24',
  categories: ['面膜', '精粹水', '口红'],
  productNames: ['补水面膜', '舒缓精粹水', '丝绒口红'],
  handoffAvailable: true,
};

const { canned, chat } = offlineChat(CONTEXT);

const POINTS_ONLY_ONE_OPTION = {
  balance: 640,
  recent: [
    { delta: 188, reason: '订单完成奖励（每消费1元得1积分）', at: '2026-11-18T02:00:00.000Z' },
    { delta: 100, reason: '成长任务：分享1个商品', at: '2026-11-06T02:00:00.000Z' },
    { delta: 119, reason: '订单完成奖励（每消费1元得1积分）', at: '2026-10-09T02:00:00.000Z' },
  ],
  redeemable: [{ templateCode: 'points-10-yuan', name: '积分兑换无门槛券', rule: '无门槛减10', pointsCost: 100, affordable: true }],
};

const tools: ToolSet = {
  getPoints: canned(TOOLS.getPoints, () => POINTS_ONLY_ONE_OPTION),
  listTasks: canned(TOOLS.listTasks, () => ({
    balance: 640,
    tasks: [{ code: 'share', name: '分享1个商品', progress: 0, target: 1, points: 100, done: false, repeats: '每月' }],
    redeem: POINTS_ONLY_ONE_OPTION.redeemable,
  })),
  redeemPoints: canned(TOOLS.redeemPoints, () => ({
    redeemed: true as const,
    name: '积分兑换无门槛券',
    rule: '无门槛减10',
    pointsSpent: 100,
    balance: 540,
    validUntil: '2026-12-24T00:00:00.000Z',
  })),
  searchKnowledge: canned(TOOLS.searchKnowledge, () => ({ results: [] })),
};

const names = (r: { calls: { name: string }[] }) => r.calls.map((c) => c.name);

describe('points: a question about redeeming is answered, a request for it is stated', () => {
  it('answers a question about redeeming asked in pinyin, stating no redemption ("jifen duihuan you sha guize")', async () => {
    const r = await chat(tools, 'jifen duihuan you sha guize');
    expect(names(r)).not.toContain('redeemPoints');
    expect(r.text).toContain('640');
  });

  it('takes "我想问下…" as a question: its 我想 asks for nothing to be done', async () => {
    const r = await chat(tools, '我想问下 积分换券有没有次数限制');
    expect(names(r)).not.toContain('redeemPoints');
    expect(r.text).toContain('640');
  });

  it('reads 第一 of "我刚下了第一单" as no pick from a list of redemptions', async () => {
    const r = await chat(tools, '我刚下了第一单 是不是有积分了 积分换券是怎么换的');
    expect(names(r)).not.toContain('redeemPoints');
    expect(r.text).toContain('640');
  });

  it('states the redemption when the message opens by asking for it, whatever it asks after ("换一张券 换好告诉我还剩多少")', async () => {
    const r = await chat(tools, '换一张券 换好告诉我还剩多少积分');
    expect(names(r)).toEqual(['getPoints', 'redeemPoints']);
  });

  it('states the redemption asked for in English ("turn 100 of my points into a coupon")', async () => {
    const r = await chat(tools, 'Could you turn 100 of my points into a coupon for me');
    expect(names(r)).toEqual(['getPoints', 'redeemPoints']);
  });

  it('says how many coupons a stated number of points buys, and what is left ("300积分能换几张")', async () => {
    const r = await chat(tools, '350积分能换几张 剩下的咋办');
    expect(names(r)).not.toContain('redeemPoints');
    expect(r.text).toContain('350积分可以换3张「积分兑换无门槛券」');
    expect(r.text).toContain('剩下50积分');
  });
});

describe('points: where they came from', () => {
  it('answers "做任务的积分还没到账" with her balance and its recent changes beside the tasks', async () => {
    const r = await chat(tools, '做任务的积分怎么还没到账');
    expect(names(r)).toEqual(expect.arrayContaining(['getPoints', 'listTasks']));
    expect(r.text).toContain('640');
    expect(r.text).toContain('+188');
    expect(r.text).toContain('分享1个商品');
  });

  it('answers in English without the Chinese reasons the shop wrote for each change', async () => {
    const r = await chat(tools, 'how many points have I got in my account?');
    expect(names(r)).toEqual(['getPoints']);
    expect(r.text).toContain('640');
    expect(r.text).toContain('+188');
    expect(r.text).not.toContain('订单完成奖励');
    expect(readsAsEnglish(r.text)).toBe(true);
  });
});

const NEWCOMER = { name: '新人券', rule: '满99减10', minSpendFen: 9900, validUntil: '2026-12-22T00:00:00.000Z' };
const REPEAT = { name: '复购专享券', rule: '满100减20', minSpendFen: 10000, validUntil: '2026-11-30T00:00:00.000Z' };
const TONER = { id: 7, name: '沐光 舒缓精粹水 150ml', brand: '沐光', category: '精粹水', price: '¥89.00', inStock: true, page: '/pages/goods/detail?id=7' };

const shopTools: ToolSet = {
  listCoupons: canned(TOOLS.listCoupons, () => ({ usable: [NEWCOMER, REPEAT], claimable: [] })),
  listOrders: canned(TOOLS.listOrders, () => ({ orders: [], hasMore: false })),
  searchProducts: canned(TOOLS.searchProducts, ({ query }) => ({ products: query && TONER.name.includes(query) ? [TONER] : [] })),
  setReminderPreference: canned(TOOLS.setReminderPreference, ({ occasion, enabled }) => ({ occasion, label: occasion, enabled, message: '' })),
  searchKnowledge: canned(TOOLS.searchKnowledge, () => ({ results: [] })),
};

describe('coupons: whether one applies to a purchase, and politeness around a need', () => {
  it.each(['这张满100减20 买两瓶精粹水能用吗', '满100减20那张 敏感肌的精粹水买两瓶能用吗', '有没有复购券 想买精粹水'])(
    'answers "%s" from her coupons, not with a product card or a list to choose from',
    async (message) => {
      const r = await chat(shopTools, message);
      expect(names(r)).toContain('listCoupons');
      expect(r.text).toContain('复购专享券');
    },
  );

  it('looks up her coupons when a greeting and thanks surround the ask ("哈喽 帮我看看我那张券还能不能用 多谢")', async () => {
    const r = await chat(shopTools, '哈喽 帮我看看我那张券还在不在 多谢');
    expect(names(r)).toEqual(['listCoupons']);
    expect(r.text).toContain('新人券');
  });
});

describe('coupons: her own, or the rules about them', () => {
  it('looks up her coupons when she asks where they are beside a perk word ("我的券呢？说好的新人福利呢")', async () => {
    const r = await chat(shopTools, '我的券呢？？说好的新人福利呢');
    expect(names(r)).toContain('listCoupons');
    expect(r.text).toContain('新人券');
  });

  it.each(['新人券跟复购券有啥区别', '折扣日打8折的时候还能再用券吗'])('looks the rules up for "%s", beside her coupons', async (message) => {
    const r = await chat(shopTools, message);
    expect(names(r)).toEqual(expect.arrayContaining(['listCoupons', 'searchKnowledge']));
  });
});

describe('reminders: switching one off however it is said', () => {
  it.each([
    ['新品预告别推给我了 谢谢', 'newProduct'],
    ['复购关怀那个不需要 关掉吧', 'secondPurchase'],
    ['please switch the birthday greetings off', 'birthday'],
    ['不要补货提醒 其他的留着', 'replenishment'],
  ])('switches off what "%s" names', async (message, occasion) => {
    const r = await chat(shopTools, message);
    expect(r.calls).toEqual([{ name: 'setReminderPreference', input: { occasion, enabled: false } }]);
  });

  it('switches nothing off when she asks not to be forgotten ("别忘了提醒我补货")', async () => {
    const r = await chat(shopTools, '别忘了提醒我补货');
    expect(r.calls.map((c) => c.name)).not.toContain('setReminderPreference');
  });
});
