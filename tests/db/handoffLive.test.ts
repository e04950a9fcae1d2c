import { expect, it } from 'vitest';
import { appendMessage, startConversation } from '../../src/domain/conversations/repo.ts';
import { eventsAfter, latestEventId, publishEvent } from '../../src/domain/live/events.ts';
import { createLiveHub } from '../../src/domain/live/hub.ts';
import { silentLogger } from '../../src/log.ts';
import { describeDb } from '../helpers/db.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';

describeDb('live events for the pages', (db) => {
  it('numbers events in order and shows a shopper only her own, staff the whole shop', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const amy = await createShopper(d, { shopId });
    const bea = await createShopper(d, { shopId });
    const start = await latestEventId(d, shopId);
    const amyConv = await startConversation(d, shopId, amy.id);
    const beaConv = await startConversation(d, shopId, bea.id);
    await appendMessage(d, shopId, amyConv.id, { role: 'user', content: '你好' });
    await appendMessage(d, shopId, beaConv.id, { role: 'user', content: '在吗' });
    await appendMessage(d, shopId, amyConv.id, { role: 'tool', content: 'internal' });
    await publishEvent(d, { shopId, shopperId: amy.id, conversationId: amyConv.id, ticketId: null, kind: 'ticket', audience: 'staff', payload: { note: 'staff only' } });

    const staff = await eventsAfter(d, { shopId, role: 'staff' }, start, 100);
    expect(staff.map((e) => e.kind)).toEqual(['message', 'message', 'ticket']);
    expect(staff.map((e) => e.id)).toEqual([...staff.map((e) => e.id)].sort((a, b) => a - b));
    const amys = await eventsAfter(d, { shopId, role: 'shopper', shopperId: amy.id }, start, 100);
    expect(amys.map((e) => e.payload.content)).toEqual(['你好']);
    // Resuming after an id returns only what came later.
    expect(await eventsAfter(d, { shopId, role: 'staff' }, staff[0]!.id, 100)).toHaveLength(2);
    // Another shop's staff see none of it.
    expect(await eventsAfter(d, { shopId: 'nobody', role: 'staff' }, 0, 100)).toEqual([]);
  });

  it('wakes a waiting reader on its own events only, through LISTEN/NOTIFY', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const amy = await createShopper(d, { shopId });
    const bea = await createShopper(d, { shopId });
    const hub = createLiveHub({ db: d, log: silentLogger });
    await hub.start();
    try {
      const cursor = await latestEventId(d, shopId);
      const amyConv = await startConversation(d, shopId, amy.id);
      const beaConv = await startConversation(d, shopId, bea.id);
      const amyWaits = hub.wait({ shopId, role: 'shopper', shopperId: amy.id }, cursor, { timeoutMs: 1500 });
      await appendMessage(d, shopId, beaConv.id, { role: 'user', content: '不是 amy 的' });
      expect((await amyWaits).outcome).toBe('timeout');

      const again = hub.wait({ shopId, role: 'shopper', shopperId: amy.id }, cursor, { timeoutMs: 10_000 });
      const staffWaits = hub.wait({ shopId, role: 'staff' }, cursor, { timeoutMs: 10_000 });
      await appendMessage(d, shopId, amyConv.id, { role: 'staff', content: '人工客服来了' });
      expect((await Promise.all([again, staffWaits])).map((w) => w.outcome)).toEqual(['event', 'event']);

      // An event announced before wait() is called still counts (no lost wake-up between read and wait).
      expect((await hub.wait({ shopId, role: 'shopper', shopperId: amy.id }, cursor, { timeoutMs: 10 })).outcome).toBe('event');
    } finally {
      await hub.stop();
    }
    expect((await hub.wait({ shopId, role: 'staff' }, 0, { timeoutMs: 10_000 })).outcome).toBe('closed');
  });
});
