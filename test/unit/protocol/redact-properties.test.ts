import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, isCredentialHeader, redactFrame, redactSocket } from '../../../src/protocol/redact';
import { parseHttpRequest, parseHttpResponse } from '../../../src/protocol/http1';
import { base64Decode, base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import type { CapturedFrame } from '../../../src/protocol/capture';

const tokenChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'.split(''),
);
const headerName = fc.oneof(
  fc.constantFrom('Authorization', 'Cookie', 'Set-Cookie', 'X-Api-Token', 'Proxy-Authorization'),
  fc.constantFrom('Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions', 'Content-Type', 'WebSocket-Protocol'),
  fc.array(tokenChar, { minLength: 1, maxLength: 12 }).map((c) => c.join('')),
);
const valueChar = fc.constantFrom(...'abcXYZ019=+/;,. _-'.split(''));
const headerValue = fc
  .array(valueChar, { maxLength: 30 })
  .map((c) => c.join('').trim())
  .filter((v) => v !== '');
const headers = fc.array(fc.tuple(headerName, headerValue), { maxLength: 8 });

function frameOf(text: string, binary: boolean): CapturedFrame {
  const bytes = utf8Encode(text);
  return binary
    ? { dir: 'send', time: 0, opcode: 2, data: base64Encode(bytes), size: bytes.length }
    : { dir: 'send', time: 0, opcode: 1, data: text, size: bytes.length };
}

function payloadOf(frame: CapturedFrame): Uint8Array {
  return frame.opcode === 1 ? utf8Encode(frame.data) : base64Decode(frame.data)!;
}

describe('redaction properties', () => {
  it('keeps an HTTP request parseable, with the same shape, and only credential values changed', () => {
    let parsed = 0;
    fc.assert(
      fc.property(headers, fc.boolean(), fc.constantFrom('', 'hello'), (hs, binary, body) => {
        const text =
          `GET /echo HTTP/1.1\r\n${hs.map(([n, v]) => `${n}: ${v}\r\n`).join('')}` +
          (body ? `Content-Length: ${body.length}\r\n` : '') +
          `\r\n${body}`;
        const before = parseHttpRequest(text);
        const after = parseHttpRequest(payloadOf(redactFrame(frameOf(text, binary))));
        if (before.status !== 'complete') return;
        parsed++;
        expect(after.status).toBe('complete');
        if (after.status !== 'complete') return;
        expect(after.message.method).toBe(before.message.method);
        expect(after.message.target).toBe(before.message.target);
        expect([...after.message.body]).toEqual([...before.message.body]);
        expect(after.message.headers.map(([n]) => n)).toEqual(before.message.headers.map(([n]) => n));
        before.message.headers.forEach(([name, value], i) => {
          const got = after.message.headers[i]![1];
          if (!isCredentialHeader(name)) expect(got).toBe(value);
          else expect(got === REDACTED || got.endsWith(` ${REDACTED}`)).toBe(true);
        });
      }),
    );
    expect(parsed).toBeGreaterThan(50);
  });

  it('redacts a response the same way whether it is text or binary', () => {
    fc.assert(
      fc.property(headers, (hs) => {
        const text = `HTTP/1.1 401 Unauthorized\r\n${hs.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
        const fromText = payloadOf(redactFrame(frameOf(text, false)));
        const fromBinary = payloadOf(redactFrame(frameOf(text, true)));
        expect([...fromBinary]).toEqual([...fromText]);
        expect(parseHttpResponse(fromText).status).toBe(parseHttpResponse(text).status);
      }),
    );
  });

  it('never throws, and is idempotent, on arbitrary payloads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 200 }), (bytes, text) => {
        const frames: CapturedFrame[] = [
          { dir: 'receive', time: 0, opcode: 2, data: base64Encode(bytes), size: bytes.length },
          { dir: 'send', time: 0, opcode: 1, data: text, size: utf8Encode(text).length },
          { dir: 'send', time: 0, opcode: 1, data: `GET / HTTP/1.1\r\n${text}`, size: 0 },
        ];
        for (const f of frames) {
          const once = redactFrame(f);
          expect(redactFrame(once)).toEqual(once);
        }
        const socket = redactSocket({ id: 'x', url: text, requestedProtocols: [], createdAt: 0, frames });
        expect(socket.frames).toHaveLength(3);
      }),
    );
  });
});
