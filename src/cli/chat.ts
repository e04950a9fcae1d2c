// npm run chat -- --user <shopperId> [--shop demo] [--conversation <id>]
// A terminal chat for operators, through the same turn as POST /v1/chat.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createModels } from '../agent/models.ts';
import { runTurn } from '../agent/runTurn.ts';
import { loadConfigOrExit } from '../config.ts';
import { callerOf, systemClock } from '../context.ts';
import { migrate } from '../db/migrate.ts';
import { openDbOrExit } from '../db/open.ts';
import { resolveShopperCaller } from '../domain/shoppers/repo.ts';
import { createEmbedder } from '../embed/index.ts';
import { createLogger } from '../log.ts';

const { values } = parseArgs({
  options: { shop: { type: 'string', default: 'demo' }, user: { type: 'string' }, conversation: { type: 'string' } },
});
if (!values.user) {
  console.error('usage: npm run chat -- --user <shopperId> [--shop demo] [--conversation <id>]');
  process.exit(2);
}
const config = loadConfigOrExit();
const log = createLogger('warn');
const db = await openDbOrExit(config);
await migrate(db);
const embedder = createEmbedder(config);
const models = createModels(config, embedder, log);
const who = callerOf(values.shop!, 'shopper', values.user!);
const caller = who?.role === 'shopper' ? await resolveShopperCaller(db, who) : null;
if (!caller) {
  console.error(`no shopper ${values.user} in shop ${values.shop}`);
  process.exit(2);
}
const deps = { db, embedder, clock: systemClock, log, models };
let conversationId = values.conversation;
const rl = createInterface({ input: process.stdin, output: process.stdout });
console.log(`chatting as shopper ${caller.shopperId} (${caller.tier}) of ${caller.shopId}; empty line to quit`);
// Lines are read as a stream, so messages piped in (printf '…\n…' | npm run chat) are answered in
// turn, and the end of the input ends the chat like an empty line.
rl.setPrompt('你> ');
rl.prompt();
for await (const raw of rl) {
  const line = raw.trim();
  if (!line) break;
  const turn = await runTurn(deps, caller, { message: line, conversationId });
  conversationId = turn.conversationId;
  for (const t of turn.toolCalls) console.log(`  [${t.name}] ${JSON.stringify(t.input)}`);
  console.log(`卡> ${turn.reply}\n`);
  rl.prompt();
}
rl.close();
await db.close();
