import { loadConfigOrExit } from './config.ts';
import { DEMO_SHOP_ID, findShopperIdByOpenid } from './demo/index.ts';
import { startServer } from './server.ts';

async function main() {
  const config = loadConfigOrExit();
  const server = await startServer(config);
  const { log } = server;

  // SIGTERM (a deploy, docker stop) or Ctrl-C: stop the reminder jobs, stop accepting, let in-flight
  // requests (streaming turns too) finish, end the live streams, close the database, exit 0. A
  // second signal is not caught: it stops the process at once. Past the deadline, exit 1.
  const stop = (signal: string) => {
    log.info('shutting down', { signal });
    const force = setTimeout(() => {
      log.error('shutdown deadline passed; exiting with requests still open', { ms: config.SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    server.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (e: unknown) => {
        log.error('shutdown failed', { err: e as Error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  const lines = [`Laotie is serving on ${server.url}  (driver: ${server.db.driver})`];
  if (config.SEED_DEMO) {
    const shopperId = await findShopperIdByOpenid(server.db, DEMO_SHOP_ID, 'demo-openid-0001');
    if (shopperId) {
      const token = await server.tokens.mint({ shopId: DEMO_SHOP_ID, role: 'shopper', shopperId });
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
