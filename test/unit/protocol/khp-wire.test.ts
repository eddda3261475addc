import { describe, expect, it } from 'vitest';
import {
  balancerNoticeBytes,
  balancerRedirectBytes,
  readBalancer,
  readBalancerBytes,
} from '../../../src/protocol/balancer';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import { bodyRunsToEnd, gatherRequest, gatherResponse } from '../../../src/protocol/gathered';
import { isTerminator, terminatorFollows, terminatorPayload } from '../../../src/protocol/khp';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('balancer messages as bytes', () => {
  it('reads N and R + ws URL, as text or binary payloads', () => {
    expect(readBalancerBytes(bytes(0xef, 0x83, 0xbf, 0x4e))).toEqual({ kind: 'balancer' });
    expect(readBalancerBytes(balancerNoticeBytes())).toEqual({ kind: 'balancer' });
    expect(readBalancerBytes(balancerRedirectBytes('ws://h:1/x?.kl=Y'))).toEqual({
      kind: 'balancer-redirect',
      url: 'ws://h:1/x?.kl=Y',
    });
    expect(readBalancerBytes(utf8Encode('\uF0FFR wss://h/x \n'))).toEqual({
      kind: 'balancer-redirect',
      url: 'wss://h/x',
    });
    expect(readBalancerBytes(bytes(0xef, 0x83, 0xbf))).toBeNull();
    expect(readBalancerBytes(utf8Encode('N'))).toBeNull();
  });

  // The copies differed: the client took U+F0FF 'R' + any text as a redirect (and resolved it), the
  // replay runner swallowed every message starting with U+F0FF. The guide's balancer messages are
  // U+F0FF 'N' and U+F0FF 'R' + an absolute ws:// URL; anything else is an ordinary message.
  it('takes nothing else that starts with U+F0FF as a balancer message', () => {
    expect(readBalancerBytes(bytes(0xef, 0x83, 0xbf, 0x4e, 0x4e))).toBeNull();
    expect(readBalancerBytes(utf8Encode('\uF0FFR/echo'))).toBeNull();
    expect(readBalancerBytes(utf8Encode('\uF0FFRhttp://h/echo'))).toBeNull();
    expect(readBalancerBytes(utf8Encode('\uF0FFRws://'))).toBeNull();
    expect(readBalancerBytes(utf8Encode('\uF0FFX'))).toBeNull();
  });

  it('agrees with the captured-frame reader on binary and text frames', () => {
    const payloads = [
      balancerNoticeBytes(),
      balancerRedirectBytes('ws://h/x'),
      bytes(0xef, 0x83, 0xbf, 0x4e, 0),
      utf8Encode('\uF0FFRnot a url'),
      bytes(1, 2, 3),
      bytes(),
    ];
    for (const p of payloads) {
      const text = new TextDecoder().decode(p);
      expect(readBalancer({ opcode: 2, data: base64Encode(p) })).toEqual(readBalancerBytes(p));
      expect(readBalancer({ opcode: 1, data: text })).toEqual(readBalancerBytes(utf8Encode(text)));
    }
  });
});

describe('the empty terminator', () => {
  it('is an empty message, expected after each response only with .kl=Y', () => {
    expect(isTerminator(terminatorPayload())).toBe(true);
    expect(isTerminator('')).toBe(true);
    expect(isTerminator(bytes(0))).toBe(false);
    expect(terminatorFollows('ws://h/echo?.kl=Y')).toBe(true);
    expect(terminatorFollows('ws://h/echo')).toBe(false);
    expect(terminatorFollows('ws://h/echo?.kl=y')).toBe(false);
  });

  it('without it, a response ends where its HTTP message ends', () => {
    const read = (text: string) => gatherResponse([utf8Encode(text)]);
    const withLength = 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n\r\n';
    expect(read(withLength).status).toBe('incomplete');
    expect(read(`${withLength}ab`).status).toBe('incomplete');
    expect(read(`${withLength}abcd`).status).toBe('complete');
    expect(read('HTTP/1.1 101 Switching\r\nContent-Length: 4\r\n\r\n').status).toBe('complete');
    const open = read('HTTP/1.1 403 Forbidden\r\n\r\n');
    expect(open.status === 'complete' && bodyRunsToEnd(open.message)).toBe(true);
    const done = read('HTTP/1.1 204 No Content\r\n\r\n');
    expect(done.status === 'complete' && bodyRunsToEnd(done.message)).toBe(false);
    expect(gatherRequest([utf8Encode('GET /e HTTP/1.1\r\n')]).status).toBe('incomplete');
    expect(gatherRequest([utf8Encode('GET /e HTTP/1.1\r\n\r\n')]).status).toBe('complete');
    expect(gatherRequest([utf8Encode('NOT HTTP\r\n\r\n')]).status).toBe('error');
  });
});
