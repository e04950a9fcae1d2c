import { z } from 'zod';
import { formatFen } from '../src/domain/orders/money.ts';
import { referralStatus } from '../src/domain/referral/index.ts';
import { defineTool } from './defineTool.ts';

const IDENTITY_NAMES = { member: '普通用户', agent: '代理', boss: '老板' } as const;

export const getReferralStatus = defineTool({
  name: 'getReferralStatus',
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
