// The HTML shell shared by the pages. hono/html escapes every interpolated value; data the scripts
// need goes into data-* attributes (escaped here, read back with dataset), never into inline script.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export interface Shell {
  title: string;
  styles: string[];
  scripts: string[];
  data: Record<string, string>;
  body: HtmlEscapedString | Promise<HtmlEscapedString>;
}

export function page(s: Shell) {
  const data = Object.entries(s.data).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
    <title>${s.title}</title>
    ${s.styles.map((href) => html`<link rel="stylesheet" href="${href}" />`)}
  </head>
  <body${data}>
    ${s.body}
    ${s.scripts.map((src) => html`<script src="${src}" defer></script>`)}
  </body>
</html>`;
}
