import { describe, expect, it } from 'vitest';
import type { CapturedSocket } from '../../../src/protocol/capture';
import { decodeSocket } from '../../../src/protocol/decoder';
import { compareReplay, diffHeaders } from '../../../src/replay/compare';
import { authSocket, hop0, hop1, hopEnd } from '../../fixtures/panel/captures';

describe('header diff', () => {
  it('marks added, removed, changed and same lines, pairing repeated names in order', () => {
    const diff = diffHeaders(
      [
        ['Connection', 'Upgrade'],
        ['Sec-WebSocket-Extensions', 'a'],
        ['Sec-WebSocket-Extensions', 'b'],
        ['Date', 'Mon'],
        ['Server', 'x'],
      ],
      [
        ['connection', 'Upgrade'],
        ['Sec-WebSocket-Extensions', 'a'],
        ['Date', 'Tue'],
        ['X-New', '1'],
      ],
    );
    expect(diff.map((d) => [d.name, d.change, d.volatile])).toEqual([
      ['Connection', 'same', false],
      ['Sec-WebSocket-Extensions', 'same', false],
      ['Sec-WebSocket-Extensions', 'removed', false],
      ['Date', 'changed', true],
      ['Server', 'removed', false],
      ['X-New', 'added', false],
    ]);
    expect(diff[3]).toMatchObject({ original: 'Mon', replay: 'Tue' });
  });
});

describe('replay comparison', () => {
  it('sees a 401 → 101 original against a replay that got 101 at once', () => {
    const crlf = (l: string[]) => `${l.join('\r\n')}\r\n\r\n`;
    const replay: CapturedSocket = {
      ...authSocket,
      id: 'replay',
      replayOf: 'auth',
      frames: [
        {
          dir: 'send',
          time: 1,
          opcode: 1,
          data: crlf(['GET /echo HTTP/1.1', 'Authorization: Basic am9lOndlbGNvbWU=']),
          size: 10,
        },
        {
          dir: 'receive',
          time: 2,
          opcode: 1,
          data: crlf(['HTTP/1.1 101 OK', 'Connection: Upgrade']),
          size: 10,
        },
        { dir: 'receive', time: 3, opcode: 1, data: '', size: 0 },
      ],
    };
    const cmp = compareReplay([decodeSocket(authSocket)], [decodeSocket(replay)]);
    expect(cmp.original).toBe('401 → 101');
    expect(cmp.replay).toBe('101');
    expect(cmp.same).toBe(false);
    const hop = cmp.hops[0]!;
    expect(hop.rounds[0]).toMatchObject({
      statusChanged: true,
      original: { status: 401 },
      replay: { status: 101 },
    });
    expect(hop.rounds[1]).toMatchObject({ statusChanged: true, original: { status: 101 }, replay: null });
    const auth = hop.rounds[0]!.request.find((d) => d.name === 'Authorization');
    expect(auth?.change).toBe('added');
    expect(hop.extensions).toEqual([
      { name: 'x-kaazing-idle-timeout', change: 'removed' },
      { name: 'x-kaazing-ping-pong', change: 'removed' },
    ]);
    expect(hop.outcomeChanged).toBe(false);
  });

  it('compares redirect chains hop by hop, and finds identical runs the same', () => {
    const chain = [hop1, hop0, hopEnd].map((s) => decodeSocket(s));
    const same = compareReplay(chain, chain);
    expect(same.same).toBe(true);
    expect(same.original).toBe('302 ⇒ 302 ⇒ 101');
    const stopped = compareReplay(chain, chain.slice(0, 1));
    expect(stopped.same).toBe(false);
    expect(stopped.replay).toBe('302');
    expect(stopped.hops[2]).toMatchObject({ replay: null, outcomeChanged: true });
  });
});
