import { describe, expect, it } from 'vitest';
import { BALANCER_NOTICE, balancerRedirectText, readBalancer } from '../../../src/protocol/balancer';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';

const bin = (bytes: number[] | Uint8Array) => ({
  opcode: 2 as const,
  data: base64Encode(Uint8Array.from(bytes)),
});
const text = (data: string) => ({ opcode: 1 as const, data });

describe('readBalancer', () => {
  it('reads the notice as binary EF 83 BF 4E and as text U+F0FF N', () => {
    expect(readBalancer(bin([0xef, 0x83, 0xbf, 0x4e]))).toEqual({ kind: 'balancer' });
    expect(readBalancer({ opcode: 2, data: '74O/Tg' })).toEqual({ kind: 'balancer' });
    expect(readBalancer(text(BALANCER_NOTICE))).toEqual({ kind: 'balancer' });
  });

  it('reads a redirect with an absolute ws/wss URL, binary or text', () => {
    const url = 'ws://gw2.example.com:8001/echo';
    expect(readBalancer(bin(utf8Encode(balancerRedirectText(url))))).toEqual({
      kind: 'balancer-redirect',
      url,
    });
    expect(readBalancer(text(balancerRedirectText('wss://x.example.com/a')))).toEqual({
      kind: 'balancer-redirect',
      url: 'wss://x.example.com/a',
    });
  });

  const notBalancer: [string, { opcode: 1 | 2; data: string }][] = [
    ['empty binary', bin([])],
    ['empty text', text('')],
    ['three marker bytes', bin([0xef, 0x83, 0xbf])],
    ['marker + other letter', bin([0xef, 0x83, 0xbf, 0x58])],
    ['notice with extra bytes', bin([0xef, 0x83, 0xbf, 0x4e, 0x4e])],
    ['redirect to a relative URL', text('\uF0FFR/echo')],
    ['redirect to http', text('\uF0FFRhttp://a/echo')],
    ['redirect without URL', text('\uF0FFR')],
    ['HTTP response', text('HTTP/1.1 101 OK\r\n\r\n')],
    ['invalid base64', { opcode: 2, data: '!!!!!!!!!!' }],
  ];
  for (const [name, frame] of notBalancer) {
    it(`ignores ${name}`, () => {
      expect(readBalancer(frame)).toBeNull();
    });
  }
});
