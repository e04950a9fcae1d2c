// What a product search sends to the database: the word-match statement only when a word of the
// query can match, the query vector once, and a product indexed behind this process's back (another
// replica) still matched by its words on the next search.
import { beforeAll, expect, it } from 'vitest';
import { VectorParam, type Queryable } from '../../src/db/db.ts';
import { indexProducts } from '../../src/domain/catalog/indexer.ts';
import { searchProducts } from '../../src/domain/catalog/search.ts';
import { createLocalEmbedder } from '../../src/embed/local.ts';
import { describeDb } from '../helpers/db.ts';
import { BEAUTY_CATALOG, seedCatalog } from '../helpers/catalogFixtures.ts';

const local = createLocalEmbedder();

/** The database handle, remembering every statement sent through it. */
function recording(db: Queryable) {
  const sent: { sql: string; params: readonly unknown[] }[] = [];
  const q: Queryable = {
    query: (sql, params = [], opts) => {
      sent.push({ sql, params });
      return db.query(sql, params, opts);
    },
    exec: (sql) => db.exec(sql),
  };
  return { q, sent };
}

describeDb('catalog search statements', (db) => {
  let ids: Record<string, number>;

  beforeAll(async () => {
    ids = await seedCatalog(db(), 'words', BEAUTY_CATALOG);
    await indexProducts(db(), local, { shopId: 'words' });
  });

  it('sends one statement, with the query vector once, for words no product of the shop has', async () => {
    const { q, sent } = recording(db());
    // The first search reads the shop's profile and words.
    await searchProducts(q, local, 'words', { text: '保湿' });
    sent.length = 0;
    const hits = await searchProducts(q, local, 'words', { text: 'zqxv wombat' });
    expect(hits.length).toBeGreaterThan(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.params.filter((p) => p instanceof VectorParam)).toHaveLength(1);
    expect(sent[0]!.params.filter((p) => typeof p === 'string' && p.startsWith('['))).toEqual([]);
  });

  it('still sends the word match beside the vector search when a word of the query is the shop’s', async () => {
    const { q, sent } = recording(db());
    await searchProducts(q, local, 'words', { text: '保湿' });
    sent.length = 0;
    const hits = await searchProducts(q, local, 'words', { text: '保湿 补水' });
    expect(hits.length).toBeGreaterThan(0);
    expect(sent).toHaveLength(2);
  });

  it('matches by its words a product indexed elsewhere after the shop’s words were read', async () => {
    await searchProducts(db(), local, 'words', { text: '保湿' });
    const before = await searchProducts(db(), local, 'words', { text: 'wombat', limit: 20 });
    expect(before.map((h) => h.id)).not.toContain(ids['lip-red']);
    // As another replica's indexer writes it: this process's search is not told.
    await db().query("UPDATE products SET search_terms = search_terms || ARRAY['wombat'] WHERE id = $1", [ids['lip-red']]);
    const after = await searchProducts(db(), local, 'words', { text: 'wombat', limit: 20 });
    expect(after[0]?.id).toBe(ids['lip-red']);
  });

  it('ranks exactly as the full scan whether or not the word match was skipped', async () => {
    await searchProducts(db(), local, 'words', { text: '保湿' });
    for (const text of ['zqxv', 'wombat', '保湿 补水', '薇诺娜']) {
      const byIndex = await searchProducts(db(), local, 'words', { text, limit: 5 });
      const byScan = await searchProducts(db(), local, 'words', { text, limit: 5, minPriceFen: 0 });
      expect(byIndex.map((h) => [h.id, h.score]), text).toEqual(byScan.map((h) => [h.id, h.score]));
    }
  });
});

describeDb('catalog versions', (db) => {
  let ids: Record<string, number>;
  const version = async () =>
    (await db().query<{ version: number | null }>("SELECT (SELECT version FROM catalog_versions WHERE shop_id = 'versioned') AS version"))
      .rows[0]!.version;

  beforeAll(async () => {
    ids = await seedCatalog(db(), 'versioned', BEAUTY_CATALOG);
  });

  it('renumbers a shop when its words or what is on sale change, not when stock or price do', async () => {
    const seeded = await version();
    expect(seeded).not.toBeNull();
    await db().query('UPDATE products SET stock = stock + 1, price_fen = price_fen + 1 WHERE shop_id = $1', ['versioned']);
    expect(await version()).toBe(seeded);
    await indexProducts(db(), local, { shopId: 'versioned' });
    const indexed = await version();
    expect(indexed).not.toBe(seeded);
    await db().query("UPDATE products SET status = 'off_shelf' WHERE id = $1", [ids['mask']]);
    expect(await version()).not.toBe(indexed);
  });

  it('lets a shop with its catalog be deleted', async () => {
    await db().query("DELETE FROM shops WHERE id = 'versioned'");
    expect(await version()).toBeNull();
  });
});
