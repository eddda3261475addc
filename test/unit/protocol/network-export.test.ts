/**
 * The network's view of a socket's opening handshake travels with the socket: exports write the real
 * headers (redacted by default), imports read them back, and a browser's own HAR is read as the
 * network's record, while headers `exportHar` made up from what the page saw are not.
 */
import { describe, expect, it } from 'vitest';
import type { CapturedSocket } from '../../../src/protocol/capture';
import { readCaptureFile, writeCaptureFile } from '../../../src/protocol/capture-file';
import { decodeSocket } from '../../../src/protocol/decoder';
import { exportHar, importHar } from '../../../src/protocol/har';
import type { OpeningHandshake } from '../../../src/protocol/model';

const T0 = Date.UTC(2026, 11, 3, 12);
const KHP = 'x-kaazing-handshake';

const network: OpeningHandshake = {
  source: 'network',
  method: 'GET',
  url: 'ws://gw.test/khp',
  httpVersion: 'HTTP/1.1',
  requestHeaders: [
    ['Host', 'gw.test'],
    ['Cookie', 'session=s3cr3t'],
    ['Sec-WebSocket-Protocol', `${KHP}, amqp`],
    ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'],
  ],
  status: 101,
  statusText: 'Switching Protocols',
  responseHeaders: [
    ['Sec-WebSocket-Protocol', KHP],
    ['Sec-WebSocket-Accept', 'abc='],
  ],
};

const socket = (extra: Partial<CapturedSocket> = {}): CapturedSocket => ({
  id: 's1',
  url: 'ws://gw.test/khp',
  requestedProtocols: [KHP, 'amqp'],
  createdAt: T0,
  openedAt: T0 + 5,
  protocol: KHP,
  extensions: '',
  frames: [{ dir: 'send', time: T0 + 6, opcode: 1, data: 'GET /khp HTTP/1.1\r\n\r\n', size: 21 }],
  ...extra,
});

const header = (headers: Array<{ name: string; value: string }>, name: string) =>
  headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

describe('the network view in exports and imports', () => {
  it('writes the real headers to HAR, redacts the cookie by default, and reads them back', () => {
    const har = exportHar([socket({ network })]);
    const entry = har.log.entries[0]!;
    expect(header(entry.request.headers, 'Sec-WebSocket-Extensions')).toBe(
      'permessage-deflate; client_max_window_bits',
    );
    expect(header(entry.request.headers, 'Cookie')).not.toContain('s3cr3t');
    expect(header(entry.response.headers, 'Sec-WebSocket-Accept')).toBe('abc=');
    const back = importHar(
      JSON.parse(JSON.stringify(exportHar([socket({ network })], { redact: false }))),
    ).sockets;
    expect(back[0]!.network).toEqual(network);
    expect(decodeSocket(back[0]!).opening).toEqual(network);
  });

  it('does not read headers it made up itself as the network’s', () => {
    const back = importHar(JSON.parse(JSON.stringify(exportHar([socket()])))).sockets;
    expect(back[0]!.network).toBeUndefined();
    expect(decodeSocket(back[0]!).opening).toBeUndefined();
  });

  it('reads a browser’s HAR entry as the network’s record', () => {
    const har = JSON.parse(JSON.stringify(exportHar([socket({ network })], { redact: false })));
    delete har.log.entries[0]._khp;
    const [read] = importHar(har).sockets;
    expect(read!.network?.requestHeaders).toContainEqual(['Sec-WebSocket-Protocol', `${KHP}, amqp`]);
    expect(read!.network?.status).toBe(101);
  });

  it('keeps the network view and the network-only mark in capture files, redacted and checked', () => {
    const file = JSON.parse(JSON.stringify(writeCaptureFile([socket({ network, networkOnly: true })])));
    const [read] = readCaptureFile(file);
    expect(read!.networkOnly).toBe(true);
    expect(read!.network?.requestHeaders.find(([n]) => n === 'Cookie')?.[1]).not.toContain('s3cr3t');
    expect(read!.network?.responseHeaders).toEqual(network.responseHeaders);
    // A damaged view is read as far as it holds: bad lines dropped, long values cut.
    file.sockets[0].network.requestHeaders = [['A', 'x'.repeat(20_000)], ['B'], 7, ['C', 3]];
    const [damaged] = readCaptureFile(file);
    expect(damaged!.network!.requestHeaders.map(([n, v]) => [n, v.length])).toEqual([['A', 8192]]);
    file.sockets[0].network = 'nonsense';
    expect(readCaptureFile(file)[0]!.network).toBeUndefined();
  });
});
