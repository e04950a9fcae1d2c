// A shopper recommended a product, or asking how to buy one, can go and buy it (docs/domain.md §2
// Buying): the turn returns the products its reply is about with their pages in the mall, on
// /v1/chat, in the stream's last event and when the conversation is read back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { READ_ONLY_TOOLS } from '../../tools/index.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface TurnProduct {
  id: number;
  name: string;
  price: string;
  page: string;
}
interface ChatResponse {
  conversationId: string;
  reply: string;
  toolCalls: Array<{ name: string; output: any }>;
  products: TurnProduct[];
}

describeDemo('the products of a turn, with where to buy them, over HTTP', (db) => {
  let server: TestServer;
  let token: string;

  async function chat(body: unknown, on: TestServer = server): Promise<ChatResponse> {
    const res = await fetch(`${on.url}/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ChatResponse;
  }

  beforeAll(async () => {
    server = await startTestServer(db());
    const { rows } = await db().query<{ id: number }>("SELECT id FROM shoppers WHERE shop_id = 'demo' AND tier = 'converted' ORDER BY id LIMIT 1");
    token = await server.token(rows[0]!.id);
  });
  afterAll(() => server?.close());

  it('returns the recommended products with their prices and pages in the mall', async () => {
    const turn = await chat({ message: '推荐个适合干皮的粉底液 200以内' });
    const hits = turn.toolCalls.find((c) => c.name === 'searchProducts')!.output.products as TurnProduct[];
    expect(turn.products.length).toBeGreaterThanOrEqual(2);
    expect(turn.products.length).toBeLessThanOrEqual(5);
    for (const p of turn.products) {
      expect(turn.reply).toContain(p.name);
      expect(p.page).toBe(`/pages/goods/detail?id=${p.id}`);
      expect(hits.find((h) => h.id === p.id)).toMatchObject({ name: p.name, price: p.price, page: p.page });
    }
  });

  it("answers '第二个怎么买' with that product and its page, and says the card cannot order it", async () => {
    const first = await chat({ message: '推荐个适合干皮的粉底液 200以内' });
    const second = first.products[1]!;
    const turn = await chat({ message: '第二个怎么买', conversationId: first.conversationId });
    expect(turn.toolCalls.map((c) => c.name)).toContain('getProduct');
    // It looks things up; it orders nothing.
    for (const c of turn.toolCalls) expect(READ_ONLY_TOOLS.has(c.name)).toBe(true);
    expect(turn.products).toEqual([second]);
    expect(turn.reply).toContain(second.name);
    expect(turn.reply).toContain('不能替你下单');
  });

  it("sends the products in the stream's last event, and keeps them when the conversation is read back", async () => {
    const res = await fetch(`${server.url}/v1/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ message: '推荐个适合干皮的粉底液 200以内' }),
    });
    expect(res.status).toBe(200);
    const events = (await res.text())
      .split('\n\n')
      .map((e) => e.replace(/^data: /, ''))
      .filter((e) => e && e !== '[DONE]')
      .map((e) => JSON.parse(e) as { type: string; messageMetadata?: { products?: TurnProduct[] } });
    const finish = events.at(-1)!;
    expect(finish.type).toBe('finish');
    const products = finish.messageMetadata!.products!;
    expect(products.length).toBeGreaterThanOrEqual(2);
    for (const p of products) expect(p.page).toBe(`/pages/goods/detail?id=${p.id}`);

    const conv = await fetch(`${server.url}/v1/conversations/${res.headers.get('x-conversation-id')}`, { headers: { authorization: `Bearer ${token}` } });
    const stored = (await conv.json()) as { messages: Array<{ role: string; products?: TurnProduct[] }> };
    expect(stored.messages.at(-1)).toMatchObject({ role: 'assistant', products });
    expect(stored.messages.at(-2)!.products).toBeUndefined();
  });

  it("gives the pages on the shop's own productPagePath", async () => {
    const { rows } = await db().query<{ settings: Record<string, unknown> }>("SELECT settings FROM shops WHERE id = 'demo'");
    const settings = { ...rows[0]!.settings, productPagePath: '/pkgMall/goods/index?gid={productId}&from=card' };
    await db().query("UPDATE shops SET settings = $1 WHERE id = 'demo'", [JSON.stringify(settings)]);
    // A server keeps each shop's card (its settings among it) for a few seconds: one started after the
    // edit reads it at once.
    const edited = await startTestServer(db());
    try {
      const turn = await chat({ message: '推荐个适合干皮的粉底液 200以内' }, edited);
      expect(turn.products.length).toBeGreaterThan(0);
      for (const p of turn.products) expect(p.page).toBe(`/pkgMall/goods/index?gid=${p.id}&from=card`);
    } finally {
      await edited.close();
      await db().query("UPDATE shops SET settings = $1 WHERE id = 'demo'", [JSON.stringify(rows[0]!.settings)]);
    }
  });
});
