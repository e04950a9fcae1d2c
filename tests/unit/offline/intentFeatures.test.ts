// What the learned intent model reads from a message beyond its characters (src/agent/offline/features.ts),
// and how its trainer calibrates it (scripts/intents/train.ts).
import { describe, expect, it } from 'vitest';
import { messageFeatures } from '../../../src/agent/offline/features.ts';
import { createIntentModel, shippedIntentModel } from '../../../src/agent/offline/intentModel.ts';
import { calibrationScale } from '../../../scripts/intents/train.ts';

describe('the intent model’s features', () => {
  it('reads any order number as one feature, pasted as LT… or as bare digits', () => {
    const a = messageFeatures('LT2026112400123 到哪了');
    const b = messageFeatures('LT2026110800456 到哪了');
    const bare = messageFeatures('2026112400123到哪了');
    expect(a.get('n:order')).toBe(1);
    expect(bare.get('n:order')).toBe(1);
    // Which order it is says nothing about what is wanted of it.
    expect([...a]).toEqual([...b]);
  });

  it('tells a price from another figure', () => {
    expect(messageFeatures('100块以内的口红').get('n:price')).toBe(1);
    expect(messageFeatures('¥99的面膜').get('n:price')).toBe(1);
    expect(messageFeatures('第2个').get('n:figure')).toBe(1);
    expect(messageFeatures('第2个').has('n:price')).toBe(false);
  });

  it('gives an emoji-only message features of its own', () => {
    expect(messageFeatures('👍👍').get('x:👍')).toBe(2);
    expect(messageFeatures('😡').size).toBeGreaterThan(0);
  });

  it('gives a 繁體 message the features of its 简体 form, and full-width the features of half-width', () => {
    expect([...messageFeatures('我的訂單什麼時候發貨？')]).toEqual([...messageFeatures('我的订单什么时候发货?')]);
    expect([...messageFeatures('ＬＴ２０２６１１２４００１２３　退貨')]).toEqual([...messageFeatures('LT2026112400123 退货')]);
  });
});

describe('the intent model’s calibration', () => {
  // Held-out logits of a model right nine times in ten but giving its answer only ~0.4.
  const unsure = Array.from({ length: 10 }, (_, i) => ({ logits: [0.6, 0, 0], y: i < 9 ? 0 : 1 }));

  it('sharpens a model that is right more often than its probabilities say', () => {
    expect(calibrationScale(unsure, [1, 2, 4])).toBeGreaterThan(1);
  });

  it('leaves a model alone whose probabilities are already as sure as it is right', () => {
    const fair = Array.from({ length: 10 }, (_, i) => ({ logits: [Math.log(6), 0, 0], y: i < 6 ? 0 : i < 8 ? 1 : 2 }));
    expect(calibrationScale(fair, [1, 2, 4])).toBe(1);
  });

  it('ships a model whose weights were scaled by the cross-validated calibration', () => {
    expect(shippedIntentModel().scale).toBeGreaterThan(1);
  });
});

describe('the intent model’s reading', () => {
  it('reads nothing into a message none of whose features it knows', () => {
    const model = createIntentModel();
    for (const p of [model.probabilities('asdfgh'), model.probabilities('qwzx')]) {
      const values = Object.values(p);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThan(1e-12);
    }
  });
});
