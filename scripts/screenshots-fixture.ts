/**
 * Records the screenshot fixture (test/fixtures/panel/screens.khp.json) from real traffic: the
 * reference server on an ephemeral port and the KHP client over `ws`, through the scenarios the
 * panel's views are about. Every socket the client opened is kept as it recorded it; the file is
 * written with credentials redacted, as the panel's own export does.
 *
 *   node --import tsx scripts/screenshots.ts --record-fixture
 */
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { KhpClient, type KhpClientOptions } from '../src/client/khp-client';
import type { CapturedSocket } from '../src/protocol/capture';
import { writeCaptureFile } from '../src/protocol/capture-file';
import { startServer } from '../src/server/server';

type Scenario = Omit<KhpClientOptions, 'url' | 'WebSocket'> & {
  /** Scenario path on the server, e.g. `/echo?timeout=400`. */
  path: string;
  /** What to do once the handshake completed (the connection is closed afterwards). */
  after?: (send: (data: string | Uint8Array) => void) => Promise<void>;
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The scenarios, in the order their sockets appear in the list. */
const SCENARIOS: Scenario[] = [
  {
    path: '/echo?timeout=400',
    protocols: ['amqp'],
    extensions: ['x-kaazing-idle-timeout', 'x-kaazing-ping-pong'],
    // The server pings at half the idle timeout: some data, then long enough for two ping/pong rounds.
    after: async (send) => {
      send('{"op":"subscribe","topic":"prices.EURUSD","id":1}');
      await sleep(30);
      send(new Uint8Array([0x00, 0x01, 0x02, 0x03, 0x7f, 0x80, 0xfe, 0xff]));
      await sleep(30);
      send('<img src=x onerror="alert(1)"> plain text, never markup');
      await sleep(480);
      send('{"op":"unsubscribe","id":1}');
      await sleep(50);
    },
  },
  {
    path: '/auth/basic',
    extensions: ['x-kaazing-ping-pong'],
    credentials: () => ({ user: 'joe', password: 'welcome' }),
    after: async (send) => {
      send('hello after login');
      await sleep(50);
    },
  },
  { path: '/redirect/2', after: async () => sleep(20) },
  { path: '/status/404' },
  // Asks again for an extension the opening handshake already negotiated: the server answers 400.
  { path: '/echo', extensions: ['permessage-deflate', 'x-kaazing-ping-pong'] },
  { path: '/loop/a' },
  { path: '/balancer', after: async () => sleep(20) },
];

async function runScenario(wsUrl: string, scenario: Scenario): Promise<CapturedSocket[]> {
  const { path, after, ...options } = scenario;
  const client = new KhpClient({
    url: wsUrl + path,
    WebSocket: WebSocket as unknown as KhpClientOptions['WebSocket'],
    timeoutMs: 5_000,
    terminatorWaitMs: 200,
    balancerWaitMs: 200,
    ...options,
  });
  try {
    const connection = await client.connect();
    if (after) await after((data) => connection.send(data));
    await connection.close(1000, 'done');
  } catch {
    // Failing scenarios (404, loop) are recorded as they failed.
  }
  await sleep(50); // let the close events land in the recording
  return client.sockets;
}

/** A socket without KHP: the server answers with a plain echo. */
async function plainSocket(wsUrl: string): Promise<CapturedSocket> {
  const url = `${wsUrl}/chat`;
  const socket: CapturedSocket = {
    id: 'plain',
    url,
    requestedProtocols: [],
    createdAt: Date.now(),
    frames: [],
  };
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  socket.openedAt = Date.now();
  socket.protocol = ws.protocol;
  socket.extensions = ws.extensions;
  ws.on('message', (data: Buffer, binary: boolean) => {
    const text = binary ? data.toString('base64') : data.toString('utf8');
    socket.frames.push({
      dir: 'receive',
      time: Date.now(),
      opcode: binary ? 2 : 1,
      data: text,
      size: data.length,
    });
  });
  for (const text of ['hi', 'how are you?']) {
    socket.frames.push({
      dir: 'send',
      time: Date.now(),
      opcode: 1,
      data: text,
      size: Buffer.byteLength(text),
    });
    ws.send(text);
    await sleep(20);
  }
  await new Promise<void>((resolve) => {
    ws.once('close', (code: number, reason: Buffer) => {
      socket.close = { time: Date.now(), code, reason: reason.toString(), wasClean: true };
      resolve();
    });
    ws.close(1000, 'bye');
  });
  return socket;
}

/** Runs every scenario against a fresh server and writes the capture file to `file`. */
export async function recordFixture(file: string): Promise<number> {
  const server = await startServer({ port: 0, demo: false });
  try {
    const sockets: CapturedSocket[] = [];
    for (const scenario of SCENARIOS) sockets.push(...(await runScenario(server.wsUrl, scenario)));
    sockets.push(await plainSocket(server.wsUrl));
    sockets.forEach((s, i) => (s.id = `s${i + 1}`));
    writeFileSync(file, JSON.stringify(writeCaptureFile(sockets), null, 2) + '\n');
    return sockets.length;
  } finally {
    await server.close();
  }
}
