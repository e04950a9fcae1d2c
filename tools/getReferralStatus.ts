import { z } from 'zod';
import { REFERRAL_IDENTITIES } from '../src/context.ts';
import { formatFen } from '../src/domain/orders/money.ts';
import { referralStatus } from '../src/domain/referral/index.ts';
import { defineTool } from './defineTool.ts';

const IDENTITY_NAMES = { member: '普通用户', agent: '代理', boss: '老板' } as const;

const money = z.object({ fen: z.number(), display: z.string() });

export const getReferralStatus = defineTool({
  name: 'getReferralStatus',
  effect: 'read',
  output: z.object({
    identity: z.enum(REFERRAL_IDENTITIES),
    identityName: z.string(),
    directReferrals: z.object({ count: z.number(), agents: z.number() }),
    agentsNeededForBoss: z.number(),
    needsActivationPurchase: z.boolean(),
    teamSize: z.number(),
    rewards: z.object({ pending: money, settled: money, reversed: money }),
    month: z.string(),
    monthRank: z.number().nullable(),
    referredBuyersThisMonth: z.number(),
    isReferralStar: z.boolean(),
    trial: z.object({ active: z.boolean(), rewarded: z.boolean(), endsAt: z.string() }).nullable(),
  }),
  description:
    '查询我的推广/链动状态（链动2+1）：当前身份（普通用户/代理/老板）、直推人数和其中的代理人数、' +
    '还差几个代理升老板、团队人数、奖励金额（待结算/已结算/已退回）、本月裂变之星排名、代理体验权。' +
    '顾客问"我推广赚了多少""我是代理吗""还差几个人升老板""我排第几"时使用。金额同时给出分和元。',
  input: z.object({}),
  async execute(ctx) {
    const s = await referralStatus(ctx.db, ctx.caller.shopId, ctx.caller.shopperId, ctx.clock.now());
    const money = (fen: number) => ({ fen, display: formatFen(fen) });
    return {
      identity: s.identity,
      identityName: IDENTITY_NAMES[s.identity],
      directReferrals: s.directReferrals,
      agentsNeededForBoss: s.agentsNeededForBoss,
      needsActivationPurchase: s.needsActivationPurchase,
      teamSize: s.teamSize,
      rewards: {
        pending: money(s.rewards.pendingFen),
        settled: money(s.rewards.settledFen),
        reversed: money(s.rewards.reversedFen),
      },
      month: s.month,
      monthRank: s.monthRank,
      referredBuyersThisMonth: s.referredBuyersThisMonth,
      isReferralStar: s.isReferralStar,
      trial: s.trial && {
        active: s.trial.active,
        rewarded: s.trial.rewarded,
        endsAt: s.trial.endsAt.toISOString(),
      },
    };
  },
});
