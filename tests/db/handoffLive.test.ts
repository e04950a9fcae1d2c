import { expect, it } from 'vitest';
import { appendMessage, startConversation } from '../../src/domain/conversations/repo.ts';
import { eventsAfter, latestEventId, publishEvent, type LiveReader } from '../../src/domain/live/events.ts';
import { createLiveHub } from '../../src/domain/live/hub.ts';
import { silentLogger } from '../../src/log.ts';
import { countingDb } from '../helpers/countingDb.ts';
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

  it('serves every reader asking at once from one read, each only the events it may see', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const amy = await createShopper(d, { shopId });
    const bea = await createShopper(d, { shopId });
    const reads = countingDb(d, /\bFROM live_events\b/i);
    const hub = createLiveHub({ db: reads.db, log: silentLogger });
    await hub.start();
    try {
      const cursor = await latestEventId(d, shopId);
      const amyConv = await startConversation(d, shopId, amy.id);
      const beaConv = await startConversation(d, shopId, bea.id);
      await appendMessage(d, shopId, amyConv.id, { role: 'user', content: 'amy 的消息' });
      await appendMessage(d, shopId, beaConv.id, { role: 'user', content: 'bea 的消息' });
      await publishEvent(d, { shopId, shopperId: amy.id, conversationId: amyConv.id, ticketId: null, kind: 'ticket', audience: 'staff', payload: { note: '只给员工' } });

      const staff: LiveReader = { shopId, role: 'staff' };
      const asAmy: LiveReader = { shopId, role: 'shopper', shopperId: amy.id };
      const asBea: LiveReader = { shopId, role: 'shopper', shopperId: bea.id };
      const readers = Array.from({ length: 30 }, (_, i) => [staff, asAmy, asBea][i % 3]!);
      reads.reset();
      const pages = await Promise.all(readers.map((r) => hub.read(r, cursor)));
      expect(reads.count).toBe(1);
      const seen = (i: number) => pages[i]!.events.map((e) => e.payload.content ?? e.payload.note);
      for (let i = 0; i < readers.length; i += 3) {
        expect(seen(i)).toEqual(['amy 的消息', 'bea 的消息', '只给员工']);
        expect(seen(i + 1)).toEqual(['amy 的消息']);
        expect(seen(i + 2)).toEqual(['bea 的消息']);
      }
      // Every reader has looked at the whole shop, its own events or not: the next read starts after them.
      expect(new Set(pages.map((p) => p.through)).size).toBe(1);
      expect(pages.every((p) => !p.more)).toBe(true);
    } finally {
      await hub.stop();
    }
  });

  it('pages a burst larger than one read, and serves a reader far behind without holding back one ahead', async () => {
    const d = db();
    const { id: shopId } = await createShop(d);
    const reads = countingDb(d, /\bFROM live_events\b/i);
    const hub = createLiveHub({ db: reads.db, log: silentLogger });
    await hub.start();
    try {
      const start = await latestEventId(d, shopId);
      const ids: number[] = [];
      for (let n = 1; n <= 250; n++) {
        ids.push(await publishEvent(d, { shopId, shopperId: null, conversationId: null, ticketId: null, kind: 'ticket', audience: 'staff', payload: { n } }));
      }
      const staff: LiveReader = { shopId, role: 'staff' };
      reads.reset();
      const [behind, ahead] = await Promise.all([hub.read(staff, start), hub.read(staff, ids[229]!)]);
      expect(reads.count).toBe(2);
      expect(behind.events.map((e) => e.payload.n)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(behind).toMatchObject({ through: ids[199], more: true });
      expect(ahead.events.map((e) => e.payload.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 231));
      expect(ahead).toMatchObject({ through: ids[249], more: false });
      const rest = await hub.read(staff, behind.through);
      expect(rest.events.map((e) => e.payload.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 201));
      expect(rest.more).toBe(false);
    } finally {
      await hub.stop();
    }
  });
});
