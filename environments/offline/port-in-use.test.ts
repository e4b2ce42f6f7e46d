import { createServer } from 'node:net';
import { expect, test } from 'vitest';
import { EnvironmentError } from '../environment.ts';
import { startOfflineEnvironment } from './offline-environment.ts';

test('a Harbor port already in use gives one line saying what to do, before anything starts', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const started = startOfflineEnvironment({ runId: 'hc-test-port-in-use', harborPort: port });
    await expect(started).rejects.toBeInstanceOf(EnvironmentError);
    await expect(started).rejects.toThrow(
      new RegExp(
        `^port ${port} on 127\\.0\\.0\\.1 is already in use: stop what listens there or choose another Harbor port \\(--port / HC_PORT\\)$`,
      ),
    );
  } finally {
    server.close();
  }
});
