import { describe, expect, it } from 'vitest';
import { liveSlots } from '../../src/http/liveSlots.ts';

describe('places for live streams', () => {
  it('gives a subject its places, then refuses, and takes a stream back once however often it ends', () => {
    const slots = liveSlots({ perSubject: 2, perShop: 0 });
    const a = slots.take('shop', 'shopper:1');
    expect([a.ok, slots.take('shop', 'shopper:1').ok]).toEqual([true, true]);
    expect(slots.take('shop', 'shopper:1')).toEqual({ ok: false, full: 'subject' });
    // The same id in another shop is someone else.
    expect(slots.take('other', 'shopper:1').ok).toBe(true);
    if (!a.ok) throw new Error('unreachable');
    a.release();
    a.release();
    expect(slots.take('shop', 'shopper:1').ok).toBe(true);
    expect(slots.take('shop', 'shopper:1').ok).toBe(false);
  });

  it('stops a shop at its limit whoever opens the streams, and leaves other shops alone', () => {
    const slots = liveSlots({ perSubject: 0, perShop: 3 });
    const held = ['staff:a', 'staff:b', 'shopper:7'].map((s) => slots.take('shop', s));
    expect(held.every((g) => g.ok)).toBe(true);
    expect(slots.take('shop', 'staff:c')).toEqual({ ok: false, full: 'shop' });
    expect(slots.take('next-door', 'staff:c').ok).toBe(true);
    const first = held[0]!;
    if (first.ok) first.release();
    expect(slots.take('shop', 'staff:c').ok).toBe(true);
  });
});
