// submitFeedback runs at once, so the offline model passes on only feedback stated for the shop:
// not a question about feedback, an idea held back, praise in passing, or a suggestion meant for
// someone else; and feedback asked to be passed on is passed on whatever its subject reads as.
import { type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../../../tools/index.ts';
import { offlineChat } from '../../helpers/offlineChat.ts';

const CONTEXT = {
  shopName: '老铁美妆',
  advisorName: '小美',
  tier: 'core',
  today: '2026-11-24',
  categories: ['粉底液', '精华', '面霜', '面膜'],
  handoffAvailable: true,
};

// The shop's documents as the demo shop has them: the reward rule is the last line of the 老铁 section.
const LAOTIE = [
  '每月稳定复购、乐于分享推荐、愿意给我们提建议的朋友，就是我们的老铁。老铁享有核心用户的全部权益，另外还有：',
  '- 老铁选品：每期从10–20款候选新品中投票，票数前5的优先上架；可以试用供应商样品并打分；',
  '- 终身团队奖：团队成员的消费，老铁可获得订单金额3%的奖励；',
  '- 每月“裂变之星”评选，前3名获得线下见面会资格和定制礼盒；',
  '- 反馈中心：建议被采纳可获得500–2000元奖励和共创署名，还有“首席体验官”“裂变先锋”“首席创意官”等勋章。',
].join('\n');

const { canned, chat: talk } = offlineChat(CONTEXT);

const TOOLSET: ToolSet = {
  searchKnowledge: canned(TOOLS.searchKnowledge, () => ({
    results: [
      { source: 'referral', title: '链动2+1推广规则', heading: '奖励什么时候到账', excerpt: '订单还在售后期内（签收后7天）时奖励显示为“待结算”；售后期结束后结算到你的账户。' },
      { source: 'membership', title: '会员等级与权益', heading: '老铁', excerpt: LAOTIE },
    ],
  })),
  submitFeedback: canned(TOOLS.submitFeedback, () => ({ submitted: true as const, feedbackId: 3, message: '已收到你的建议，商家会认真查看。' })),
  getPoints: canned(TOOLS.getPoints, () => ({ balance: 100, recent: [], redeemOptions: [] }) as never),
  getProduct: canned(TOOLS.getProduct, () => ({ error: 'not_found', message: '没有这个商品' }) as never),
  searchProducts: canned(TOOLS.searchProducts, () => ({ products: [] }) as never),
  getReferralStatus: canned(TOOLS.getReferralStatus, () => ({ error: 'not_found', message: '—' }) as never),
};

const chat = (user: string, history?: Parameters<typeof talk>[2]) => talk(TOOLSET, user, history);
const names = (r: { calls: { name: string }[] }) => r.calls.map((c) => c.name);
const submitted = (r: { calls: { name: string; input: Record<string, unknown> }[] }) =>
  r.calls.filter((c) => c.name === 'submitFeedback').map((c) => String(c.input.text));

describe('passing feedback on', () => {
  it.each([
    ['a question about feedback already given', '我上次提的建议有人看吗'],
    ['a question about giving feedback', '提建议的话会不会泄露我的信息'],
    ['a question about a limit, in 繁體', '意見回饋有字數限制嗎'],
    ['a question whether feedback raises her tier', '我是不是能提建议来升老铁啊？'],
    ['an idea held back', '我其实有个想法 但还没想清楚 下次再说吧'],
    ['praise in passing', '你们的包装越来越好看了 😍'],
    ['a remark she waves away', '唇膏质地我挺喜欢的 就是颜色一般般 无所谓啦'],
    ["someone's suggestion to her", '我闺蜜建议我多跟你聊聊 说你懂护肤 嘻嘻'],
    ['a suggestion for someone outside the shop', '我要建议物业把楼道灯修好 你帮我写个通知'],
  ])('passes nothing on for %s ("%s")', async (_, user) => {
    const r = await chat(user);
    expect(names(r)).not.toContain('submitFeedback');
    expect(r.text).not.toContain('已收到你的建议');
  });

  it('thanks her for praise and says how to have it passed on', async () => {
    const r = await chat('你们的包装越来越好看了 😍');
    expect(r.text).toContain('谢谢');
    expect(r.text).toContain('帮我反馈');
  });

  it.each([
    ['a page', '商品详情页能不能加个成分表 我看不到成分不敢买 帮忙反馈下'],
    ['a campaign idea', '有个活动创意想投稿 搞个老铁晒单大赛 晒图送积分 帮我交上去'],
    ['her referral rewards', '帮我记一条建议 团队奖励的明细能不能按周发给我 现在看得好累'],
  ])('passes on feedback about %s that she asks to pass on', async (_, user) => {
    const r = await chat(user);
    expect(submitted(r)).toEqual([user]);
  });

  it('asks what to pass on when nothing is stated, then passes on the answer', async () => {
    const first = await chat('我想提个建议');
    expect(names(first)).toEqual([]);
    expect(first.text).toContain('想提什么');
    const second = await chat('洗衣液出个补充装吧', first.messages);
    expect(submitted(second)).toEqual(['洗衣液出个补充装吧']);
  });

  it('passes on last turn\'s remark when she then asks for it', async () => {
    const first = await chat('你们的包装越来越好看了 😍');
    const second = await chat('帮我反馈', first.messages);
    expect(submitted(second)).toEqual(['你们的包装越来越好看了 😍']);
  });

  it('quotes the rule on the reward for an adopted suggestion, from the shop\'s documents', async () => {
    const r = await chat('提建议被采纳的话有什么奖励');
    expect(names(r)).toEqual(['searchKnowledge']);
    expect(r.text).toContain('《会员等级与权益》');
    expect(r.text).toContain('500–2000元');
    expect(r.text).not.toContain('待结算');
  });
});

describe('the feedback reward asked in English', () => {
  it('says the reward the rule names in English words', async () => {
    const { canned: c, chat: englishTalk } = offlineChat(CONTEXT);
    const tools: ToolSet = {
      searchKnowledge: c(TOOLS.searchKnowledge, () => ({ results: [{ source: 'membership', title: '会员等级与权益', heading: '老铁', excerpt: LAOTIE }] })),
      submitFeedback: c(TOOLS.submitFeedback, () => ({ submitted: true as const, feedbackId: 3, message: '—' })),
    };
    const r = await englishTalk(tools, 'How does the feedback thing work? is there a reward?');
    expect(r.calls.map((x) => x.name)).toEqual(['searchKnowledge']);
    expect(r.text).toContain('500–2000元');
    expect(r.text).toMatch(/adopted suggestion/i);
    expect(r.text).not.toContain('裂变先锋');
  });
});

describe('answering the card\'s question about the feedback', () => {
  it('passes on an answer with no feedback word in it ("就是连续敷21天 每天打卡 最后送小样")', async () => {
    const first = await chat('提个活动创意给商家');
    expect(names(first)).toEqual([]);
    expect(first.text).toMatch(/[？?]$/);
    const second = await chat('就是连续敷21天 每天打卡 最后送小样', first.messages);
    expect(submitted(second)).toEqual(['就是连续敷21天 每天打卡 最后送小样']);
  });
});
