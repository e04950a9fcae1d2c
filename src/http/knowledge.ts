// The shop's knowledge base for its operator: POST /v1/admin/knowledge imports (or re-imports) one
// Markdown document, GET lists them, DELETE removes one. Role admin; the shop is the token's, never
// the body's, so an operator can only touch their own shop's rules.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ShopModels } from '../agent/shopModels.ts';
import { DOC_KEY_PATTERN, MAX_CONTENT_CHARS, MAX_TITLE_CHARS } from '../domain/knowledge/document.ts';
import { ingestKnowledge } from '../domain/knowledge/ingest.ts';
import { deleteDocument, listDocuments } from '../domain/knowledge/repo.ts';
import { NotFound } from '../errors.ts';
import { typable } from '../text/typable.ts';
import type { AppDeps } from './app.ts';
import { staffAuth, type StaffEnv } from './auth.ts';
import { jsonBody } from './errors.ts';

export const knowledgeBody = z.strictObject({
  docKey: z.string().regex(DOC_KEY_PATTERN, 'docKey must be a slug: lowercase letters, digits and dashes, at most 64 characters'),
  title: typable().trim().min(1).max(MAX_TITLE_CHARS),
  content: typable()
    .max(MAX_CONTENT_CHARS, `content must be at most ${MAX_CONTENT_CHARS} characters`)
    .refine((s) => s.trim().length > 0, 'content must not be empty'),
  source: typable().trim().max(200).optional(),
});

export function knowledgeRoutes(deps: Pick<AppDeps, 'db' | 'embedder' | 'tokens'> & { shopModels?: Pick<ShopModels, 'embedderFor'> }) {
  const app = new Hono<StaffEnv>();
  const adminOnly = staffAuth({ tokens: deps.tokens, db: deps.db, roles: ['admin'] });
  app.use('/v1/admin/knowledge', adminOnly);
  app.use('/v1/admin/knowledge/*', adminOnly);

  app.post('/v1/admin/knowledge', async (c) => {
    const { shopId, staffId } = c.get('caller');
    const body = await jsonBody(c, knowledgeBody);
    // Idempotent: the same document again answers unchanged: true with the stored version.
    // Embedded as the shop's search reads it; a switch under way embeds it with its model afterwards.
    const embedder = deps.shopModels ? await deps.shopModels.embedderFor(shopId) : deps.embedder;
    const result = await ingestKnowledge(deps.db, embedder, shopId, {
      ...body,
      source: body.source ?? `admin:${staffId}`,
    });
    return c.json(result);
  });

  app.get('/v1/admin/knowledge', async (c) => {
    const docs = await listDocuments(deps.db, c.get('caller').shopId);
    return c.json({
      documents: docs.map((d) => ({
        docKey: d.docKey,
        title: d.title,
        source: d.source,
        version: d.version,
        chunks: d.chunks,
        updatedAt: d.updatedAt.toISOString(),
      })),
    });
  });

  app.delete('/v1/admin/knowledge/:docKey', async (c) => {
    // A key no document can have names none: the same 404, without asking the database.
    const docKey = c.req.param('docKey');
    const deleted = DOC_KEY_PATTERN.test(docKey) && (await deleteDocument(deps.db, c.get('caller').shopId, docKey));
    if (!deleted) throw new NotFound('knowledge document');
    return c.body(null, 204);
  });

  return app;
}
