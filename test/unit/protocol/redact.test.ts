import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  isCredentialHeader,
  redactFrame,
  redactHeaders,
  redactSocket,
  redactText,
  redactUrl,
} from '../../../src/protocol/redact';
import type { CapturedFrame, CapturedSocket } from '../../../src/protocol/capture';
import { base64Decode, base64Encode, utf8Encode } from '../../../src/protocol/bytes';

const text = (data: string, dir: 'send' | 'receive' = 'send'): CapturedFrame => ({
  dir,
  time: 1,
  opcode: 1,
  data,
  size: utf8Encode(data).length,
});
const binary = (bytes: Uint8Array, dir: 'send' | 'receive' = 'receive'): CapturedFrame => ({
  dir,
  time: 1,
  opcode: 2,
  data: base64Encode(bytes),
  size: bytes.length,
});
const bytesOf = (f: CapturedFrame) => base64Decode(f.data)!;
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('redactHeaders', () => {
  it('replaces credential values, keeping the authorization scheme', () => {
    expect(
      redactHeaders([
        ['Authorization', 'Basic am9lOndlbGNvbWU='],
        ['proxy-authorization', 'Token abc'],
        ['Cookie', 'a=1; b=2'],
        ['Set-Cookie', 'sid=9; HttpOnly'],
        ['X-Api-Token', 'abc'],
        ['X-Client-Secret', 'abc'],
        ['Authorization', 'opaque'],
        ['WWW-Authenticate', 'Application Basic realm="x"'],
        ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
        ['Location', 'http://h/p?access_token=zz&x=1'],
      ]),
    ).toEqual([
      ['Authorization', 'Basic [redacted]'],
      ['proxy-authorization', 'Token [redacted]'],
      ['Cookie', REDACTED],
      ['Set-Cookie', REDACTED],
      ['X-Api-Token', REDACTED],
      ['X-Client-Secret', REDACTED],
      ['Authorization', REDACTED],
      ['WWW-Authenticate', 'Application Basic realm="x"'],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Location', 'http://h/p?access_token=[redacted]&x=1'],
    ]);
  });

  it('names the headers it treats as credentials', () => {
    expect(['authorization', 'X-Auth-User', 'x-session-token', 'apikey'].every(isCredentialHeader)).toBe(
      true,
    );
    expect(['Content-Type', 'Sec-WebSocket-Extensions', 'Host'].some(isCredentialHeader)).toBe(false);
  });
});

describe('redactUrl and redactText', () => {
  it.each([
    ['ws://u:p@h/x', 'ws://u:[redacted]@h/x'],
    ['ws://u@h/x', 'ws://u@h/x'],
    ['wss://h/x?.kl=Y&access_token=a&b=2#frag', 'wss://h/x?.kl=Y&access_token=[redacted]&b=2#frag'],
    ['/echo?password=p&Token=t&api_key=k', '/echo?password=[redacted]&Token=[redacted]&api_key=[redacted]'],
    ['/echo?token=', '/echo?token='],
    ['ws://h/plain', 'ws://h/plain'],
  ])('%s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
  });

  it('redacts URLs and Authorization fragments inside free text', () => {
    expect(redactText('→ GET /e?token=abc (Authorization: Basic xyz) to ws://a:b@h/')).toBe(
      '→ GET /e?token=[redacted] (Authorization: Basic [redacted]) to ws://a:[redacted]@h/',
    );
  });
});

describe('redactFrame', () => {
  const request =
    'GET /echo?access_token=abc HTTP/1.1\r\nWebSocket-Protocol: \r\nAuthorization:  Basic am9lOndlbGNvbWU=  \r\nCookie: x=1\r\n\r\nbody Authorization: Basic zzz';

  it('rewrites only the credential bytes of a text request', () => {
    const out = redactFrame(text(request));
    expect(out.data).toBe(
      'GET /echo?access_token=[redacted] HTTP/1.1\r\nWebSocket-Protocol: \r\nAuthorization:  Basic [redacted]  \r\nCookie: [redacted]\r\n\r\nbody Authorization: Basic zzz',
    );
    expect(out.size).toBe(utf8Encode(out.data).length);
  });

  it('rewrites a binary response byte for byte, non-ASCII bytes kept', () => {
    const head = 'HTTP/1.1 200 OK\nSet-Cookie: s=1\nX-Name: caf\u00e9\xff\n\n';
    const input = new Uint8Array([...latin1(head), 0x00, 0xff, 0x80]);
    const out = bytesOf(redactFrame(binary(input)));
    expect([...out]).toEqual([
      ...latin1('HTTP/1.1 200 OK\nSet-Cookie: [redacted]\nX-Name: caf\u00e9\xff\n\n'),
      0,
      255,
      128,
    ]);
  });

  it('leaves non-HTTP and malformed payloads untouched and never throws', () => {
    const samples: CapturedFrame[] = [
      text('Authorization: Basic abc'),
      text('{"token":"abc"}'),
      binary(new Uint8Array([0xef, 0x83, 0xbf, 0x4e])),
      { dir: 'send', time: 1, opcode: 2, data: '%%%not base64', size: 3 },
      text('GET HTTP/1.1'),
      text(''),
    ];
    for (const f of samples) expect(redactFrame(f)).toEqual(f);
  });

  it('reads a frame as the continuation of an open header block when told', () => {
    expect(redactFrame(text('Cookie: a\r\n\r\n'), { continuation: true }).data).toBe(
      'Cookie: [redacted]\r\n\r\n',
    );
  });
});

describe('redactSocket', () => {
  it('follows a response split over several messages and redacts URLs', () => {
    const socket: CapturedSocket = {
      id: 's',
      url: 'ws://h/e?.kl=Y&token=t',
      requestedProtocols: ['x-kaazing-handshake'],
      createdAt: 0,
      pageUrl: 'https://a:b@app/',
      frames: [
        binary(latin1('HTTP/1.1 401 Unauthorized\r\nSet-')),
        binary(latin1('Cookie: abc\r\nWWW-Authenticate: Application Token\r\n\r\n')),
        binary(new Uint8Array(0)),
        text('Cookie: not-a-header-block', 'receive'),
      ],
    };
    const out = redactSocket(socket);
    expect(out.url).toBe('ws://h/e?.kl=Y&token=[redacted]');
    expect(out.pageUrl).toBe('https://a:[redacted]@app/');
    // "Set-" + "Cookie" straddle the frame boundary: the second frame alone is read as headers.
    expect(new TextDecoder().decode(bytesOf(out.frames[1]!))).toBe(
      'Cookie: [redacted]\r\nWWW-Authenticate: Application Token\r\n\r\n',
    );
    expect(out.frames[3]).toEqual(socket.frames[3]);
    expect(socket.url).toBe('ws://h/e?.kl=Y&token=t');
  });

  const sendText = (socket: CapturedSocket): string =>
    socket.frames.map((f) => new TextDecoder().decode(bytesOf(f))).join('|');
  const splitRequest = (cuts: number[], raw: string): CapturedSocket => {
    const bounds = [0, ...cuts, raw.length];
    return {
      id: 's',
      url: 'ws://h/echo',
      requestedProtocols: [],
      createdAt: 0,
      frames: bounds.slice(1).map((end, i) => binary(latin1(raw.slice(bounds[i], end)), 'send')),
    };
  };

  it('never leaks a credential whose header line straddles a frame boundary, wherever it is cut', () => {
    const raw =
      'GET /echo?access_token=SECRETQ HTTP/1.1\r\nAuthorization: Basic SECRETAUTH==\r\n' +
      'Cookie: sid=SECRETCOOKIE\r\nX-Other: kept\r\n\r\n';
    for (let cut = 1; cut < raw.length; cut++) {
      const out = sendText(redactSocket(splitRequest([cut], raw)));
      for (const secret of ['SECRETQ', 'SECRETAUTH', 'SECRETCOOKIE']) {
        for (let k = 3; k <= secret.length; k++) {
          // No tail of a secret survives: at most 2 of its characters may sit before the cut.
          expect({ cut, leaked: out.includes(secret.slice(secret.length - k)) }).toEqual({
            cut,
            leaked: false,
          });
        }
      }
      expect({ cut, kept: out.replace(/\|/g, '').includes('X-Other: kept\r\n\r\n') }).toEqual({
        cut,
        kept: true,
      });
    }
  });

  it('joins a header line spread over three frames', () => {
    const raw = 'GET /echo HTTP/1.1\r\nAuthorization: Bearer abcdefSECRET\r\n\r\n';
    const at = raw.indexOf('Bearer');
    const out = sendText(redactSocket(splitRequest([at - 6, at + 9, at + 12], raw)));
    expect(out.replace(/\|/g, '')).toBe('GET /echo HTTP/1.1\r\nAuthorization: Bearer [redacted]\r\n\r\n');
  });
});
