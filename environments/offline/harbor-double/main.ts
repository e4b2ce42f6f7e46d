// Entry point of the Harbor double (core + jobservice stand-in): reads harbor-core's environment
// variables, migrates its PostgreSQL schema, and serves Harbor's API, token service and /v2 proxy.
// Bad configuration → one line per problem on stderr, exit 2.
import { ConfigError, loadConfig } from './config.ts';
import { startDouble } from './server.ts';
import { UnknownFaultProfileError } from './faults/fault-profiles.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startDouble(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`harbor-double: ${signal}, shutting down\n`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UnknownFaultProfileError) {
    process.stderr.write(`harbor-double: ${error.message.split('\n').join('\nharbor-double: ')}\n`);
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`harbor-double: failed to start: ${message}\n`);
  process.exit(1);
});
