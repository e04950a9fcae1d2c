// The card answers a question about the shop's rules from the section that answers it, naming the
// document it quotes; when the question names two sections it quotes both; when no section answers
// it says so and offers a person. The offline model over the real tools and the demo shop's documents.
import { beforeAll, expect, it } from 'vitest';
import { createModels } from '../../src/agent/models.ts';
import { runTurn } from '../../src/agent/runTurn.ts';
import type { AgentDeps } from '../../src/agent/turn.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/context.ts';
import { ingestDemoKnowledge } from '../../src/demo/knowledge.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { silentLogger } from '../../src/log.ts';
import { describeDb } from '../helpers/db.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';

describeDb('answers from the shop’s documents', (db) => {
  const embedder = createLocalEmbedder();
  let deps: AgentDeps;
  let shopId: string;

  const ask = async (message: string) => {
    const shopperId = (await createShopper(db(), { shopId })).id;
    return runTurn(deps, { role: 'shopper', shopId, shopperId }, { message });
  };
  const tools = (turn: { toolCalls: { name: string }[] }) => turn.toolCalls.map((c) => c.name);

  beforeAll(async () => {
    deps = { db: db(), embedder, clock: fixedClock(new Date()), log: silentLogger, models: createModels(loadConfig({}), embedder, silentLogger) };
    shopId = (await createShop(db())).id;
    await ingestDemoKnowledge(db(), embedder, shopId);
  });

  it.each([
    ['你们一般多久发货', '《发货与物流》', '48小时'],
    ['东西是正品吗', '《产品溯源与正品保障》', '三倍的赔偿'],
    ['两张券能一起用吗', '《优惠券规则》', '一笔订单只能使用一张优惠券'],
    ['买够几块钱才包邮啊', '《发货与物流》', '满69元包邮'],
    ['每个月哪天是折扣日来着', '《优惠券规则》', '每月15日'],
    ['发火多久能到啊 我在广东', '《发货与物流》', '48小时'],
  ])('answers %s from %s with %s', async (question, document, fact) => {
    const turn = await ask(question);
    expect(tools(turn)).toContain('searchKnowledge');
    expect(turn.reply).toContain(document);
    expect(turn.reply).toContain(fact);
  });

  it('answers how the team reward is counted with the 5 % team reward, not the peer reward', async () => {
    const turn = await ask('团队奖怎么算的');
    expect(turn.reply).toContain('《链动2+1推广规则》');
    expect(turn.reply).toContain('订单金额5%的团队奖');
    expect(turn.reply).not.toContain('平级奖');
  });

  it('quotes both sections when the question compares two rewards', async () => {
    const turn = await ask('团队奖和平级奖有什么区别');
    expect(turn.reply).toContain('订单金额5%的团队奖');
    expect(turn.reply).toContain('团队奖的20%作为平级奖');
  });

  it.each([
    // a question about how products are kept, read as shopping: the guide is quoted beside the products
    ['精华要不要放冰箱', '《护肤指南》', '冰箱'],
    // questions on how a thing works that no rule word marks, not about her own things
    ['直推奖拿多少', '《链动2+1推广规则》', '10%'],
    ['外包装批号跟瓶子上的对不上 正常吗', '《产品溯源与正品保障》', '批号'],
  ])('looks %s up in the rules beside the reading’s own tools and quotes %s', async (question, document, fact) => {
    const turn = await ask(question);
    expect(tools(turn)).toContain('searchKnowledge');
    expect(turn.reply).toContain(document);
    expect(turn.reply).toContain(fact);
  });

  it.each([
    // spaced pinyin: neighbouring syllables are heard as one word of the documents (tui huo → 退货)
    ['tui huo zheng ce shi shen me', '《退换货与退款政策》', '7天'],
    // 假 and 赔 are the documents' 假冒 and 赔偿
    ['如果买到假的怎么赔', '《产品溯源与正品保障》', '三倍'],
    // 转给 is the rule's 转赠
    ['新人券能转给我闺蜜用吗', '《优惠券规则》', '不能转赠他人'],
  ])('finds the section for %s in %s, quoting %s', async (question, document, fact) => {
    const turn = await ask(question);
    expect(tools(turn)).toContain('searchKnowledge');
    expect(turn.reply).toContain(document);
    expect(turn.reply).toContain(fact);
  });

  it.each([
    // questions about how coupons and rewards work, asked where her own coupons and figures are read
    ['券能换现金吗', 'listCoupons', '《优惠券规则》', '不能兑换现金'],
    ['超过48小时没发货 听说能领5块的券？', 'listCoupons', '《发货与物流》', '5元无门槛券'],
    ['潜力用户的折扣日8折券需要领吗', 'listCoupons', '《优惠券规则》', '每月15日'],
    ['老板团队奖是5%还是7%啊 我看到两个数', 'getReferralStatus', '《链动2+1推广规则》', '7%'],
    ['待结算33块多那个 啥时候能到账', 'getReferralStatus', '《链动2+1推广规则》', '售后期'],
  ])('answers %s from her %s and the rules in %s (%s)', async (question, own, document, fact) => {
    const turn = await ask(question);
    expect(tools(turn)).toEqual(expect.arrayContaining([own, 'searchKnowledge']));
    expect(turn.reply).toContain(document);
    expect(turn.reply).toContain(fact);
  });

  it('quotes no rule beside her referral figures when the passage found uses none of her words', async () => {
    const turn = await ask("what's my referral ranking this month?");
    expect(tools(turn)).toContain('getReferralStatus');
    expect(turn.reply).not.toContain('《链动2+1推广规则》');
  });

  it('says no rule answers and offers a person when no section answers', async () => {
    const turn = await ask('你们能开发票吗');
    expect(tools(turn)).toEqual(['searchKnowledge']);
    expect(turn.reply).toContain('没有找到');
    expect(turn.reply).toContain('人工');
  });
});
