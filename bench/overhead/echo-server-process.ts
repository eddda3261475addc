/**
 * The overhead section's echo server, as a process of its own (`node --import tsx` on this file):
 * starts the reference server on 127.0.0.1, a free port, gateway mode, no demo page and no
 * permessage-deflate, prints its ws URL as one line on stdout, and closes on SIGTERM or SIGINT.
 * Run apart from the bench so the server's CPU is not the bench process's, and the page is measured
 * against a server that no CDP traffic or bookkeeping slows down.
 */
import { startServer } from '../../src/server/server';

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  mode: 'gateway',
  demo: false,
  perMessageDeflate: false,
});
process.stdout.write(`${server.wsUrl}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
