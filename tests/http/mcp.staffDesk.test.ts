// The staff desk's actions over MCP — claim, resolve, hand back — spoken by the SDK's own Client over a
// real port, with the rules of the staff routes (/v1/staff/tickets/:id/claim, /resolve, /handback):
// one claimer wins and the others hear who, a claimed ticket is its claimer's (or an admin's) to
// close, resolved and handed back are final, and another shop's ticket is not found like a missing one.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { findShopperIdByOpenid } from '../../src/demo/index.ts';
import { describeDemo } from '../helpers/demo.ts';
import { createShop } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describeDemo('the staff desk over MCP', (db) => {
  let server: TestServer;
  let shopperToken: string;
  let staff: string;
  let staff2: string;
  let admin: string;
  const open: Client[] = [];

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'laotie-desk-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    open.push(client);
    return client;
  }
  const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  const errorOf = (r: CallToolResult) =>
    r.isError ? (JSON.parse((r.content[0] as { text: string }).text) as { error: { code: string; message: string } }).error : null;
  const ticketOf = (r: CallToolResult) => {
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    return (r.structuredContent as { ticket: { id: number; status: string; claimedBy: string | null; closedBy: string | null; outcome: string | null } }).ticket;
  };

  /** A fresh hand-off: the shopper asks for a person in a new conversation. */
  async function openTicket(): Promise<{ ticketId: number; conversationId: string }> {
    const res = await fetch(`${server.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shopperToken}` },
      body: JSON.stringify({ message: '转人工' }),
    });
    const body = (await res.json()) as { handoff: { ticketId: number }; conversationId: string };
    expect(body.handoff?.ticketId).toEqual(expect.any(Number));
    return { ticketId: body.handoff.ticketId, conversationId: body.conversationId };
  }
  const stored = async (ticketId: number) =>
    (
      await db().query<{ status: string; claimed_by: string | null; closed_by: string | null; outcome: string | null; mode: string }>(
        'SELECT t.status, t.claimed_by, t.closed_by, t.outcome, c.mode FROM handoff_tickets t JOIN conversations c ON c.id = t.conversation_id WHERE t.id = $1',
        [ticketId],
      )
    ).rows[0]!;
  const actions = async (ticketId: number) =>
    (await db().query<{ action: string; actor: string }>('SELECT action, actor FROM ticket_actions WHERE ticket_id = $1 ORDER BY id', [ticketId])).rows.map(
      (r) => `${r.action} ${r.actor}`,
    );

  beforeAll(async () => {
    server = await startTestServer(db(), { env: { RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_SHOPPER_PER_MIN: '0' } });
    shopperToken = await server.token((await findShopperIdByOpenid(db(), 'demo', 'demo-openid-0004'))!);
    staff = await server.token('s1', { role: 'staff' });
    staff2 = await server.token('s2', { role: 'staff' });
    admin = await server.token('a1', { role: 'admin' });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(() => server?.close());

  it('lists staff and admins the claim, resolve and hand-back tools, each marked as a write with its ticketId required', async () => {
    for (const token of [staff, admin]) {
      const { tools } = await (await connect(token)).listTools();
      for (const name of ['claimTicket', 'resolveTicket', 'handBackTicket']) {
        const t = tools.find((x) => x.name === name);
        expect(t, name).toBeDefined();
        expect(t!.inputSchema).toMatchObject({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['ticketId']) });
        expect(t!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      }
      expect(tools.find((x) => x.name === 'resolveTicket')!.inputSchema).toMatchObject({ required: ['ticketId', 'outcome'] });
    }
  });

  it('lets one of two staff claiming at once have the ticket, and tells the other who has it', async () => {
    const { ticketId } = await openTicket();
    const [a, b] = [await connect(staff), await connect(staff2)];
    const answers = await Promise.all([call(a, 'claimTicket', { ticketId }), call(b, 'claimTicket', { ticketId })]);
    const won = answers.filter((r) => !r.isError);
    expect(won).toHaveLength(1);
    const winner = ticketOf(won[0]!).claimedBy!;
    expect(ticketOf(won[0]!)).toMatchObject({ id: ticketId, status: 'claimed' });
    const lost = errorOf(answers.find((r) => r.isError)!)!;
    expect(lost).toEqual({ code: 'conflict', message: `ticket already claimed by ${winner}` });
    expect(await stored(ticketId)).toMatchObject({ status: 'claimed', claimed_by: winner, mode: 'human' });
    expect(await actions(ticketId)).toEqual(['open rules', `claim ${winner}`]);
  });

  it('resolves a ticket for its claimer only (or an admin), and a resolved ticket stays resolved', async () => {
    const { ticketId } = await openTicket();
    const [s1, s2, boss] = [await connect(staff), await connect(staff2), await connect(admin)];
    ticketOf(await call(s1, 'claimTicket', { ticketId }));
    const notTheirs = errorOf(await call(s2, 'resolveTicket', { ticketId, outcome: '已补发' }))!;
    expect(notTheirs).toMatchObject({ code: 'conflict', message: expect.stringContaining('claimed by staff:s1') });
    expect(await stored(ticketId)).toMatchObject({ status: 'claimed' });

    const resolved = ticketOf(await call(s1, 'resolveTicket', { ticketId, outcome: '  已补发赠品小样  ' }));
    expect(resolved).toMatchObject({ id: ticketId, status: 'resolved', closedBy: 'staff:s1', outcome: '已补发赠品小样' });
    expect(await stored(ticketId)).toMatchObject({ status: 'resolved', outcome: '已补发赠品小样', mode: 'ai' });

    // Final: nobody claims, answers, resolves or hands back a resolved ticket, an admin neither.
    for (const [client, name, args] of [
      [s2, 'claimTicket', { ticketId }],
      [s1, 'replyToTicket', { ticketId, text: '还有问题吗' }],
      [s1, 'resolveTicket', { ticketId, outcome: '再结一次' }],
      [boss, 'resolveTicket', { ticketId, outcome: '再结一次' }],
      [boss, 'handBackTicket', { ticketId }],
    ] as const) {
      expect([name, errorOf(await call(client, name, args))]).toEqual([name, { code: 'conflict', message: 'ticket is already resolved' }]);
    }
    expect(await stored(ticketId)).toMatchObject({ status: 'resolved', closed_by: 'staff:s1', outcome: '已补发赠品小样', mode: 'ai' });
    expect(await actions(ticketId)).toEqual(['open rules', 'claim staff:s1', 'resolve staff:s1']);
  });

  it("lets an admin resolve a ticket another has claimed, as the staff route does", async () => {
    const { ticketId } = await openTicket();
    ticketOf(await call(await connect(staff), 'claimTicket', { ticketId }));
    expect(ticketOf(await call(await connect(admin), 'resolveTicket', { ticketId, outcome: '店长处理' }))).toMatchObject({ status: 'resolved', closedBy: 'admin:a1' });
  });

  it('hands the conversation back to the AI, with the note as its outcome or the routes\' default without one', async () => {
    const first = await openTicket();
    const second = await openTicket();
    const s1 = await connect(staff);
    ticketOf(await call(s1, 'claimTicket', { ticketId: first.ticketId }));
    expect(await stored(first.ticketId)).toMatchObject({ mode: 'human' });
    expect(ticketOf(await call(s1, 'handBackTicket', { ticketId: first.ticketId, note: '顾客只是想看看' }))).toMatchObject({
      status: 'handed_back',
      outcome: '顾客只是想看看',
    });
    expect(await stored(first.ticketId)).toMatchObject({ status: 'handed_back', mode: 'ai' });
    // An open ticket is anyone's to hand back; without a note the outcome is the staff route's own.
    expect(ticketOf(await call(s1, 'handBackTicket', { ticketId: second.ticketId }))).toMatchObject({ status: 'handed_back', outcome: 'handed back to the AI' });
    expect(errorOf(await call(s1, 'claimTicket', { ticketId: second.ticketId }))).toEqual({ code: 'conflict', message: 'ticket is already handed_back' });
  });

  it("finds no ticket of another shop: claim, resolve and hand back answer not_found as for a missing one, and change nothing", async () => {
    const { ticketId } = await openTicket();
    const other = await createShop(db());
    const stranger = await connect(await server.token('s1', { role: 'staff', shop: other.id }));
    const missing = errorOf(await call(stranger, 'claimTicket', { ticketId: 999_999_999 }));
    expect(missing).toEqual({ code: 'not_found', message: expect.any(String) });
    for (const [name, args] of [
      ['claimTicket', { ticketId }],
      ['resolveTicket', { ticketId, outcome: '别人的单' }],
      ['handBackTicket', { ticketId }],
    ] as const) {
      expect([name, errorOf(await call(stranger, name, args))]).toEqual([name, missing]);
    }
    expect(await stored(ticketId)).toMatchObject({ status: 'open', claimed_by: null, mode: 'human' });
    expect(await actions(ticketId)).toEqual(['open rules']);
  });

  it('refuses arguments the staff route would refuse, with the field named: an empty outcome, a key the tool does not take, a ticket id that is no id', async () => {
    const { ticketId } = await openTicket();
    const s1 = await connect(staff);
    expect(errorOf(await call(s1, 'resolveTicket', { ticketId, outcome: '   ' }))).toEqual({ code: 'invalid', message: 'outcome: must not be empty' });
    expect(errorOf(await call(s1, 'resolveTicket', { ticketId, outcome: 'x'.repeat(501) }))).toEqual({ code: 'invalid', message: 'outcome: at most 500 characters' });
    expect(errorOf(await call(s1, 'handBackTicket', { ticketId, note: 'x'.repeat(501) }))?.code).toBe('invalid');
    expect(errorOf(await call(s1, 'claimTicket', { ticketId, claimedBy: 'staff:s2' }))).toMatchObject({ code: 'invalid', message: expect.stringContaining('claimedBy') });
    expect(errorOf(await call(s1, 'claimTicket', { ticketId: String(ticketId) }))).toMatchObject({ code: 'invalid', message: expect.stringContaining('ticketId') });
    expect(errorOf(await call(s1, 'claimTicket', {}))).toMatchObject({ code: 'invalid', message: expect.stringContaining('ticketId') });
    expect(await stored(ticketId)).toMatchObject({ status: 'open', claimed_by: null });
  });
});
