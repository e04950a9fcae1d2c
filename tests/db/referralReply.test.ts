// The card's answer about 链动 status, played through runTurn on the offline model: every figure it
// says — the identity by the shop's own name, the direct referrals, the team, the pending reward — is
// the one the database holds for her, whatever language she writes in.
import { beforeAll, expect, it } from 'vitest';
import { createModels } from '../../src/agent/models.ts';
import { runTurn } from '../../src/agent/runTurn.ts';
import type { AgentDeps } from '../../src/agent/turn.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/context.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { silentLogger } from '../../src/log.ts';
import { describeDb } from '../helpers/db.ts';
import { createReferralOrder, createReferralShop, createReferralShopper, payOrder, type ReferralShop } from './referralFixtures.ts';

const NOW = new Date('2026-11-24T02:00:00Z');

describeDb('referral facts in the reply', (db) => {
  const embedder = createLocalEmbedder();
  let deps: AgentDeps;
  let shop: ReferralShop;
  let agent: number;

  const ask = (message: string) => runTurn(deps, { role: 'shopper', shopId: shop.id, shopperId: agent }, { message });

  /** Her figures as the database holds them, counted here rather than through the tool. */
  async function figures() {
    const one = async (sql: string) => Number((await db().query<{ n: string }>(sql, [shop.id, agent])).rows[0]!.n);
    const direct = await one('SELECT count(*) AS n FROM shoppers WHERE shop_id = $1 AND referrer_id = $2');
    const second = await one(
      `SELECT count(*) AS n FROM shoppers r JOIN shoppers g ON g.shop_id = r.shop_id AND g.referrer_id = r.id
       WHERE r.shop_id = $1 AND r.referrer_id = $2 AND r.referral_identity = 'agent'`,
    );
    const pendingFen = await one("SELECT coalesce(sum(amount_fen), 0) AS n FROM reward_ledger WHERE shop_id = $1 AND beneficiary_id = $2 AND state = 'pending'");
    return { direct, team: direct + second, pending: `¥${(pendingFen / 100).toFixed(2)}` };
  }

  beforeAll(async () => {
    deps = { db: db(), embedder, clock: fixedClock(NOW), log: silentLogger, models: createModels(loadConfig({}), embedder, silentLogger) };
    shop = await createReferralShop(db());
    agent = await createReferralShopper(db(), shop.id, { identity: 'agent' });
    const friendAgent = await createReferralShopper(db(), shop.id, { identity: 'agent', referrerId: agent });
    const friend = await createReferralShopper(db(), shop.id, { referrerId: agent });
    await createReferralShopper(db(), shop.id, { referrerId: friendAgent });
    const order = await createReferralOrder(db(), shop, { buyerId: friend, payFen: 19_900, createdAt: new Date('2026-11-20T02:00:00Z') });
    await payOrder(db(), shop.id, order, new Date('2026-11-20T02:05:00Z'));
  });

  it('answers "推荐朋友买东西 我现在拿到多少了" (推荐 of a friend, not of a product) with her direct referrals, team and pending reward from the database', async () => {
    const f = await figures();
    expect(f.direct).toBe(2);
    expect(f.pending).not.toBe('¥0.00');
    const turn = await ask('推荐朋友买东西 我现在拿到多少了');
    expect(turn.toolCalls.map((c) => c.name)).toContain('getReferralStatus');
    expect(turn.reply).toContain('「代理」');
    expect(turn.reply).toContain(`直推${f.direct}人`);
    expect(turn.reply).toContain(`团队${f.team}人`);
    expect(turn.reply).toContain(`待结算${f.pending}`);
  });

  it('says the identity by the shop\'s own name (代理) when she asks in pinyin, answered in Chinese (pinyin is Chinese typed without characters)', async () => {
    const f = await figures();
    const turn = await ask('wo shi daili ma');
    expect(turn.toolCalls.map((c) => c.name)).toContain('getReferralStatus');
    expect(turn.reply).toContain('代理');
    expect(turn.reply).toContain(`直推${f.direct}人`);
    expect(turn.reply).toContain(`团队${f.team}人`);
    expect(turn.reply).toContain(`待结算${f.pending}`);
  });
});
