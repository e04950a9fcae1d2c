// The pages' scripts, styles and images: plain files next to this module, read once when the routes
// are created (no build step), served by name from a fixed list.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { NotFound } from '../../errors.ts';

const DIR = new URL('./static/', import.meta.url);
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
export const STATIC_FILES = ['card.js', 'staff.js', 'common.js', 'card.css', 'staff.css', 'advisor.svg'] as const;

export function staticRoutes() {
  const files = new Map(STATIC_FILES.map((name) => [name, readFileSync(new URL(name, DIR))]));
  const app = new Hono();
  app.get('/static/:name', (c) => {
    const name = c.req.param('name');
    const body = files.get(name as (typeof STATIC_FILES)[number]);
    if (!body) throw new NotFound('file');
    const type = TYPES[name.slice(name.lastIndexOf('.'))]!;
    return c.body(new Uint8Array(body), 200, { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  });
  return app;
}
