/**
 * A reference server for one test file: started before its tests, closed after them together with
 * every raw client the tests opened through it.
 */
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../../src/server/server';
import { RawClient } from './raw-client';

/** The running server of a test file and the clients it closes at the end. */
export interface ServerHarness {
  /** The server (available once the file's tests run). */
  readonly server: RunningServer;
  /** Opens a raw client on `path` of the server; it is terminated after the file's tests. */
  open(path: string, protocols?: string[]): Promise<RawClient>;
  /** Registers a client opened elsewhere so it is terminated after the file's tests. */
  track(client: RawClient): RawClient;
}

/** Starts a server with `options` before the file's tests; terminates clients, then closes it, after. */
export function useServer(options: ServerOptions): ServerHarness {
  let running: RunningServer | undefined;
  const clients: RawClient[] = [];
  beforeAll(async () => {
    running = await startServer(options);
  });
  afterAll(async () => {
    for (const c of clients) c.terminate();
    await running?.close();
  });
  const harness: ServerHarness = {
    get server(): RunningServer {
      if (!running) throw new Error('the test server is not running yet');
      return running;
    },
    async open(path, protocols) {
      return harness.track(await RawClient.open(harness.server.wsUrl + path, protocols));
    },
    track(client) {
      clients.push(client);
      return client;
    },
  };
  return harness;
}
