// The offline model understands a turn's message once, not once per step of the AI SDK's tool loop;
// the same turn input with another conversation is understood afresh.
import { describe, expect, it } from 'vitest';
import { OFFLINE_PROVIDER, readTurnInput } from '../../../src/agent/offline/contract.ts';
import type { Conversation } from '../../../src/agent/offline/conversation.ts';
import { createIntentClassifier, type IntentClassifier } from '../../../src/agent/offline/intents.ts';
import { understand } from '../../../src/agent/offline/understand.ts';
import { understandOncePerTurn } from '../../../src/agent/offline/understandOnce.ts';
import { createLocalEmbedder } from '../../../src/embed/local.ts';

const real = createIntentClassifier(createLocalEmbedder());

function counting(): IntentClassifier & { calls: number } {
  const c = {
    calls: 0,
    classify(norms: readonly string[]) {
      c.calls++;
      return real.classify(norms);
    },
  };
  return c;
}

const turnInput = { today: '2026-11-24', categories: ['粉底液', '面霜'], skinTypes: ['干皮', '油皮'] };
const ctx = readTurnInput({ [OFFLINE_PROVIDER]: turnInput });

const history: Conversation['history'] = [
  { user: '我的订单到哪了', exchanges: [{ id: 'a', name: 'listOrders', input: {}, outcome: { ok: true, value: { orders: [] } } }], reply: '你还没有订单哦' },
];
const firstStep: Conversation = { history, current: { user: '推荐个适合干皮的粉底液 200以内', exchanges: [], reply: '' }, stepsTaken: 0 };
const secondStep: Conversation = {
  ...firstStep,
  current: { ...firstStep.current, exchanges: [{ id: 'b', name: 'searchProducts', input: { query: '粉底液' }, outcome: { ok: true, value: { products: [] } } }] },
  stepsTaken: 1,
};

describe('understanding a message once per turn', () => {
  it('answers the later steps of a turn from the first step\'s understanding', async () => {
    const classifier = counting();
    const understandTurn = understandOncePerTurn(classifier);
    const turn = {};
    const first = await understandTurn(turn, firstStep, ctx);
    const second = await understandTurn(turn, secondStep, ctx);
    expect(classifier.calls).toBe(1);
    expect(second).toBe(first);
    // …and it is what understanding the second step afresh gives.
    expect(second).toEqual(await understand(secondStep, ctx, real));
  });

  it('understands afresh another message, another history, another day or another turn', async () => {
    const classifier = counting();
    const understandTurn = understandOncePerTurn(classifier);
    const turn = {};
    await understandTurn(turn, firstStep, ctx);
    const other = await understandTurn(turn, { ...firstStep, current: { user: '有什么优惠券', exchanges: [], reply: '' } }, ctx);
    expect(other.intent).toBe('coupons');
    await understandTurn(turn, { ...firstStep, history: [] }, ctx);
    await understandTurn(turn, firstStep, { ...ctx, today: '2026-11-25' });
    await understandTurn({}, firstStep, ctx);
    await understandTurn(undefined, firstStep, ctx);
    await understandTurn(undefined, firstStep, ctx);
    expect(classifier.calls).toBe(7);
  });

  it('tries again after an understanding that failed', async () => {
    let fail = true;
    const flaky: IntentClassifier = {
      classify: (norms) => (fail ? Promise.reject(new Error('down')) : real.classify(norms)),
    };
    const understandTurn = understandOncePerTurn(flaky);
    const turn = {};
    await expect(understandTurn(turn, firstStep, ctx)).rejects.toThrow('down');
    fail = false;
    await expect(understandTurn(turn, secondStep, ctx)).resolves.toMatchObject({ intent: 'recommend' });
  });
});
