import { loadConfigOrExit } from './config.ts';
import { DataDirInUse } from './db/dataDirLock.ts';
import { demoBanner } from './demo/banner.ts';
import { PortInUse, startServer } from './server.ts';

async function main() {
  const config = loadConfigOrExit();
  const server = await startServer(config, { progress: (line) => console.log(line) });
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
  // Only where the demo shop is wanted: production prints no token unless SEED_DEMO=true says so.
  if (config.SEED_DEMO) lines.push(...(await demoBanner(server.db, server.tokens, server.url)));
  console.log(lines.join('\n'));
}

main().catch((e) => {
  // A data directory or port taken by another process is the operator's to resolve: the one line says how.
  if (e instanceof DataDirInUse || e instanceof PortInUse) console.error(e.message);
  else console.error('failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
