// The README's section "Use the card from an MCP client", followed as written: its mcpServers entry
// (url and headers) given to the SDK's own client with the tokens the demo banner of `npm start`
// prints, and its TypeScript sample run as a program of its own (tsx) — only the address is the test
// server's, since 8787 may be taken here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoBanner } from '../../src/demo/banner.ts';
import { describeDemo } from '../helpers/demo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README_URL = 'http://127.0.0.1:8787/mcp';

/** The README's MCP section: its mcpServers JSON and its TypeScript sample, as they are written. */
function readmeSection(): { config: { mcpServers: Record<string, { url: string; headers: Record<string, string> }> }; sample: string } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Use the card from an MCP client');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const json = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  const sample = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  return { config: JSON.parse(json), sample };
}

describeDemo("the README's MCP client configuration", (db) => {
  let server: TestServer;
  let banner: string[];

  beforeAll(async () => {
    server = await startTestServer(db(), { env: { RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_SHOPPER_PER_MIN: '0' } });
    banner = await demoBanner(db(), server.tokens, server.url);
  });
  afterAll(() => server?.close());

  const printedShopperToken = () => /^\s+token: (\S+)$/m.exec(banner.join('\n'))![1]!;
  const printedStaffToken = () => /^Staff token: (\S+)$/m.exec(banner.join('\n'))![1]!;

  it('lists and calls the tools with the mcpServers entry as written and the token npm start printed', async () => {
    const { config } = readmeSection();
    const entries = Object.entries(config.mcpServers);
    expect(entries.map(([name]) => name)).toEqual(['laotie']);
    const [, entry] = entries[0]!;
    expect(entry.url).toBe(README_URL);
    for (const [token, tool] of [
      [printedShopperToken(), 'listOrders'],
      [printedStaffToken(), 'listHandoffQueue'],
    ] as const) {
      const headers = Object.fromEntries(Object.entries(entry.headers).map(([k, v]) => [k, v.replace('<the token npm start printed>', token)]));
      expect(headers.Authorization).toBe(`Bearer ${token}`);
      const client = new Client({ name: 'readme-config', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(entry.url.replace('http://127.0.0.1:8787', server.url)), { requestInit: { headers } }));
      try {
        expect((await client.listTools()).tools.map((t) => t.name)).toContain(tool);
        const result = await client.callTool({ name: tool, arguments: {} });
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      } finally {
        await client.close();
      }
    }
  });

  it('runs the TypeScript sample as written: it prints the tool names and the shopper\'s own orders', async () => {
    const { sample } = readmeSection();
    expect(sample).toContain(README_URL);
    // In the project, so that the sample's imports resolve as they do for a user's own program.
    const dir = mkdtempSync(join(ROOT, '.mcp-readme-'));
    try {
      const file = join(dir, 'sample.ts');
      writeFileSync(file, sample.replace(README_URL, `${server.url}/mcp`));
      const { stdout } = await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), [file], {
        env: { ...process.env, TOKEN: printedShopperToken() },
        timeout: 120_000,
      });
      expect(stdout).toContain("'listOrders'");
      expect(stdout).toContain("'confirmAction'");
      const shopperId = Number(/^\s+demo-openid-\d+\s+\S+\s+shopper (\d+)/m.exec(banner.join('\n'))![1]);
      const { rows } = await db().query<{ order_no: string }>('SELECT order_no FROM orders WHERE shopper_id = $1 ORDER BY created_at DESC LIMIT 1', [shopperId]);
      expect(stdout).toContain(rows[0]!.order_no);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
