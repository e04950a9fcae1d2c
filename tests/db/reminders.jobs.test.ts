// The in-process jobs: on start they catch up a day whose run time has passed (a restart at 10:00
// still plans the day), the outbox loop delivers, and stop() waits for what is in flight.
import { expect, it } from 'vitest';
import { fixedClock } from '../../src/context.ts';
import { createReminderJobs } from '../../src/jobs/reminders.ts';
import { silentLogger } from '../../src/log.ts';
import { describeDb } from '../helpers/db.ts';
import { createShop, createShopper } from '../helpers/fixtures.ts';
import { reminderWriters } from '../../src/agent/reminderWriter.ts';

const TEMPLATES = reminderWriters(undefined, silentLogger);

describeDb('reminder jobs', (db) => {
  it('catch up the day on start, deliver in the outbox loop, and stop cleanly', async () => {
    const { id: shopId } = await createShop(db());
    const { id } = await createShopper(db(), { shopId, tier: 'laotie', nickname: '阿强' });
    await db().query(`UPDATE shoppers SET birthday = '1990-09-17', registered_at = '2024-01-01' WHERE id = $1`, [id]);
    // 10:00 in Shanghai: past the 08:00 run time.
    const jobs = createReminderJobs({ db: db(), clock: fixedClock('2026-09-17T02:00:00Z'), log: silentLogger, writers: TEMPLATES }, { workerId: 'test', outboxIntervalMs: 50 });
    await jobs.start();
    const deadline = Date.now() + 20_000;
    let sent = 0;
    while (Date.now() < deadline) {
      const { rows } = await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM reminder_outbox WHERE shop_id = $1 AND state = 'sent'`, [shopId]);
      sent = rows[0]!.n;
      if (sent) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await jobs.stop();
    expect(sent).toBe(1);
    const { rows } = await db().query<{ content: string }>(
      `SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.shop_id = $1`,
      [shopId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.content).toMatch(/^阿强老铁，生日快乐/);
    // Stopped: another pass can still be driven by hand, and finds nothing due.
    expect(await jobs.drainOnce()).toMatchObject({ claimed: 0 });
  });
});
