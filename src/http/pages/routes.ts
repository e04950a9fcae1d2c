// The pages: the AI card for shoppers and the staff console, server-rendered shells with small
// vanilla scripts that talk to the same public APIs (chat, staff, live) as any other client.
import { Hono } from 'hono';
import type { Queryable } from '../../db/db.ts';
import { findShop } from '../../domain/shops/repo.ts';
import { cardPage } from './cardPage.ts';
import { pageSecurityHeaders } from './security.ts';
import { staffPage } from './staffPage.ts';
import { staticRoutes } from './static.ts';

export function pageRoutes(deps: { db: Queryable }) {
  const app = new Hono();
  app.use('/card/*', pageSecurityHeaders());
  app.use('/staff', pageSecurityHeaders());
  app.use('/static/*', pageSecurityHeaders());
  app.get('/card/:shopId', async (c) => {
    const shop = await findShop(deps.db, c.req.param('shopId'));
    if (!shop) return c.html('<!doctype html><meta charset="utf-8"><title>未找到</title><p>没有这家店铺。</p>', 404);
    return c.html(cardPage(shop));
  });
  app.get('/staff', (c) => c.html(staffPage()));
  app.route('/', staticRoutes());
  return app;
}
