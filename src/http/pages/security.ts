// Headers for the pages: a strict Content-Security-Policy (scripts and styles only from our own
// static files, no inline code, no eval; data reaches the page as JSON and is written with
// textContent), no framing, no referrer (tokens travel in the URL fragment, never in a Referer).
import type { MiddlewareHandler } from 'hono';

export const PAGE_CSP = [
  "default-src 'none'",
  // WeChat's JS-SDK, loaded only inside the mini-program's web-view (wx.miniProgram opens the mall's pages).
  "script-src 'self' https://res.wx.qq.com",
  "style-src 'self'",
  // A shop may host its advisor photo on its own CDN.
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function pageSecurityHeaders(): MiddlewareHandler {
  return async function pageSecurityHeadersMiddleware(c, next) {
    await next();
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
  };
}
