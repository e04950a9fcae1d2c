// The shop's knowledge documents (policies, FAQ) and the numbers of its policies as MCP resources,
// for whoever holds a token of the shop: the same text the card's searchKnowledge reads.
import type { ReadResourceResult, Resource } from '@modelcontextprotocol/sdk/types.js';
import type { Queryable } from '../db/db.ts';
import { DOC_KEY_PATTERN } from '../domain/knowledge/document.ts';
import { documentChunks, findDocument, listDocuments } from '../domain/knowledge/repo.ts';
import { getShop } from '../domain/shops/repo.ts';
import { NotFound } from '../errors.ts';

const KNOWLEDGE_PREFIX = 'laotie://knowledge/';
export const POLICIES_URI = 'laotie://shop/policies';

/**
 * The document key a resource path names, or null when it names none: broken percent-encoding, or
 * a key no document can have (the import's slug rule, src/domain/knowledge/document.ts), which
 * also keeps NUL and oversized text away from the database.
 */
function docKeyOf(path: string): string | null {
  let key: string;
  try {
    key = decodeURIComponent(path);
  } catch {
    return null;
  }
  return DOC_KEY_PATTERN.test(key) ? key : null;
}

export async function listShopResources(db: Queryable, shopId: string): Promise<Resource[]> {
  const docs = await listDocuments(db, shopId);
  return [
    {
      uri: POLICIES_URI,
      name: 'policies',
      title: '店铺政策参数 / the shop\'s policy numbers',
      description: 'After-sales window, shipping promise, discount day, service hours (docs/domain.md).',
      mimeType: 'application/json',
    },
    ...docs.map((d) => ({
      uri: `${KNOWLEDGE_PREFIX}${d.docKey}`,
      name: d.docKey,
      title: d.title,
      description: `knowledge document, version ${d.version}`,
      mimeType: 'text/markdown',
    })),
  ];
}

export async function readShopResource(db: Queryable, shopId: string, uri: string): Promise<ReadResourceResult> {
  if (uri === POLICIES_URI) {
    const shop = await getShop(db, shopId);
    // What a shopper may be told; the average order value and the refund hand-off threshold stay internal.
    const { returnWindowDays, shippingPromiseHours, discountDay, serviceHours } = shop.settings;
    const policies = { shop: shop.name, timezone: shop.timezone, returnWindowDays, shippingPromiseHours, discountDay, serviceHours };
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(policies, null, 2) }] };
  }
  const docKey = uri.startsWith(KNOWLEDGE_PREFIX) ? docKeyOf(uri.slice(KNOWLEDGE_PREFIX.length)) : null;
  const doc = docKey ? await findDocument(db, shopId, docKey) : null;
  if (!docKey || !doc) throw new NotFound('resource');
  // The document as indexed: its chunks in order under their headings (neighbours overlap a little).
  const chunks = await documentChunks(db, shopId, docKey);
  const text = [`# ${doc.title}`, ...chunks.map((c) => (c.heading ? `## ${c.heading}\n\n${c.content}` : c.content))].join('\n\n');
  return { contents: [{ uri, mimeType: 'text/markdown', text }] };
}
