import { ConfigError, loadConfig } from './config.ts';
import { DEMO_SHOP_ID, findShopperIdByOpenid } from './domain/seed/index.ts';
import { startServer } from './server.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const server = await startServer(config);
  const { log } = server;

  const stop = (signal: string) => {
    log.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  const lines = [`Laotie is serving on ${server.url}  (driver: ${server.db.driver})`];
  if (config.SEED_DEMO) {
    const shopperId = await findShopperIdByOpenid(server.db, DEMO_SHOP_ID, 'demo-openid-0001');
    if (shopperId) {
      const token = await server.tokens.mint({ shopId: DEMO_SHOP_ID, role: 'shopper', userId: String(shopperId) });
      lines.push(
        `Demo shop "${DEMO_SHOP_ID}". A shopper token (valid 7 days) for shopper ${shopperId}:`,
        `  ${token}`,
        `More tokens: npm run token -- --shop ${DEMO_SHOP_ID} --user <shopperId> [--role staff|admin]`,
      );
    }
  }
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error('failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
