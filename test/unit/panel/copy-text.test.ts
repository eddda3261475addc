import { describe, expect, it } from 'vitest';
import { defaultCore } from '../../../src/panel/core';
import {
  frameCopyText,
  hexText,
  lastMessages,
  messageCopyText,
  socketHarText,
} from '../../../src/panel/store/copy-text';
import { base64Encode, utf8Encode } from '../../../src/protocol/bytes';
import type { CapturedFrame } from '../../../src/protocol/capture';
import { decodeSocket } from '../../../src/protocol/decoder';
import { authSocket, forbidden } from '../../fixtures/panel/captures';

const binary = (bytes: number[]): CapturedFrame => ({
  dir: 'receive',
  time: 0,
  opcode: 2,
  data: base64Encode(Uint8Array.from(bytes)),
  size: bytes.length,
});

describe('copy texts', () => {
  it('writes hex as spaced lower-case pairs, 16 to a line, with no trailing newline', () => {
    expect(hexText(new Uint8Array(0))).toBe('');
    expect(hexText(Uint8Array.from([0, 0x0a, 0xff]))).toBe('00 0a ff');
    const bytes = Uint8Array.from({ length: 18 }, (_, i) => i * 15);
    expect(hexText(bytes)).toBe('00 0f 1e 2d 3c 4b 5a 69 78 87 96 a5 b4 c3 d2 e1\nf0 ff');
  });

  it('copies a binary frame as hex, base64 and lossy text, and a text frame by its UTF-8 bytes', () => {
    const f = binary([0xef, 0x83, 0xbf, 0x4e, 0xc3]);
    expect(frameCopyText(f, 'hex')).toBe('ef 83 bf 4e c3');
    expect(frameCopyText(f, 'base64')).toBe('74O/TsM=');
    expect(frameCopyText(f, 'text')).toBe('\uf0ffN\ufffd');
    const t: CapturedFrame = { dir: 'send', time: 0, opcode: 1, data: 'é<b>', size: 5 };
    expect(frameCopyText(t, 'text')).toBe('é<b>');
    expect(frameCopyText(t, 'hex')).toBe('c3 a9 3c 62 3e');
    expect(frameCopyText(t, 'base64')).toBe(base64Encode(utf8Encode('é<b>')));
  });

  it('copies the last round’s request and response as the HTTP text sent, CRLF kept', () => {
    const c = decodeSocket(authSocket);
    const { request, response } = lastMessages(c);
    expect(messageCopyText(request!, authSocket.frames, 'text')).toBe(
      'GET /echo HTTP/1.1\r\n' +
        'Sec-WebSocket-Protocol: amqp\r\n' +
        'Sec-WebSocket-Extensions: x-kaazing-idle-timeout,x-kaazing-ping-pong\r\n' +
        'Authorization: Basic am9lOndlbGNvbWU=\r\n\r\n',
    );
    // The response came as a binary frame: copied as its text.
    expect(messageCopyText(response!, authSocket.frames, 'text')).toBe(
      'HTTP/1.1 101 Web Socket Protocol Handshake\r\n' +
        'Connection: Upgrade\r\n' +
        'Sec-WebSocket-Extensions: x-kaazing-idle-timeout; timeout=30000\r\n' +
        'Sec-WebSocket-Extensions: x-kaazing-ping-pong; 01010102\r\n' +
        'Upgrade: websocket\r\n\r\n',
    );
    expect(messageCopyText(response!, authSocket.frames, 'hex').slice(0, 23)).toBe('48 54 54 50 2f 31 2e 31');
    const f = decodeSocket(forbidden);
    expect(lastMessages(f).response!.raw).toContain('\r\n\r\n<img src=x');
  });

  it('copies one socket as HAR through the core, credentials redacted unless asked', () => {
    const redacted = JSON.parse(socketHarText(defaultCore, authSocket, true));
    expect(redacted.log.entries).toHaveLength(1);
    const messages = redacted.log.entries[0]._webSocketMessages.map((m: { data: string }) => m.data);
    expect(messages[4]).toContain('Authorization: Basic [redacted]\r\n');
    const full = socketHarText(defaultCore, authSocket, false);
    expect(full).toContain('Authorization: Basic am9lOndlbGNvbWU=');
    expect(full).not.toContain('[redacted]');
    // Pretty-printed JSON, as the Export button writes it.
    expect(full.startsWith('{\n  "log": {\n')).toBe(true);
  });
});
