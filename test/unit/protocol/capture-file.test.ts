import { describe, expect, it } from 'vitest';
import {
  ImportError,
  readCaptureFile,
  readCaptureFileWithWarnings,
  writeCaptureFile,
} from '../../../src/protocol/capture-file';
import type { CapturedSocket } from '../../../src/protocol/capture';

const socket: CapturedSocket = {
  id: 'f1:1',
  url: 'ws://gw.example/echo?.kl=Y',
  requestedProtocols: ['x-kaazing-handshake'],
  createdAt: 1000,
  openedAt: 1010,
  protocol: 'x-kaazing-handshake',
  extensions: '',
  frames: [
    {
      dir: 'send',
      time: 1011,
      opcode: 1,
      data: 'GET /echo HTTP/1.1\r\nAuthorization: Token s3cr3t\r\n\r\n',
      size: 50,
    },
    { dir: 'receive', time: 1020, opcode: 2, data: 'AAEC', size: 3, truncated: true },
  ],
  close: { time: 2000, code: 1011, reason: 'bad', wasClean: false },
  error: { time: 1999 },
  dropped: { frames: 2, bytes: 10 },
  pageUrl: 'https://app.example/',
  replayOf: 'f1:0',
};

describe('writeCaptureFile / readCaptureFile', () => {
  it('writes the versioned envelope and reads it back unchanged when not redacted', () => {
    const file = writeCaptureFile([socket], { redact: false, now: new Date(0) });
    expect(file).toMatchObject({
      format: 'khp-inspector-capture',
      version: 1,
      createdAt: '1970-01-01T00:00:00.000Z',
      redacted: false,
    });
    const back = readCaptureFileWithWarnings(JSON.parse(JSON.stringify(file)));
    expect(back.warnings).toEqual([]);
    expect(back.sockets).toEqual([socket]);
    expect(file.sockets[0]).not.toBe(socket);
  });

  it('redacts by default and says so', () => {
    const file = writeCaptureFile([socket]);
    expect(file.redacted).toBe(true);
    expect(file.sockets[0]!.frames[0]!.data).toBe(
      'GET /echo HTTP/1.1\r\nAuthorization: Token [redacted]\r\n\r\n',
    );
    expect(socket.frames[0]!.data).toContain('s3cr3t');
  });
});

describe('readCaptureFile validation', () => {
  const file = (extra: Record<string, unknown>) => ({
    format: 'khp-inspector-capture',
    version: 1,
    sockets: [],
    ...extra,
  });

  it.each([
    [null, /expected a JSON object/],
    [{ format: 'other' }, /format is not 'khp-inspector-capture'/],
    [file({ version: 'one' }), /no valid version/],
    [file({ version: 2 }), /version 2 was written by a newer KHP Inspector/],
    [file({ sockets: {} }), /no sockets array/],
  ])('rejects %j', (input, message) => {
    expect(() => readCaptureFile(input)).toThrow(ImportError);
    expect(() => readCaptureFile(input)).toThrow(message);
  });

  it('skips broken sockets and frames with warnings, and fills defaults', () => {
    const { sockets, warnings } = readCaptureFileWithWarnings(
      file({
        sockets: [
          'x',
          { id: 'a' },
          {
            id: 'b',
            url: 'ws://h/',
            frames: [
              { dir: 'up', time: 1, opcode: 1, data: '' },
              { dir: 'send', time: 1, opcode: 1, data: 5 },
              { dir: 'send', time: 2, opcode: 1, data: 'héllo' },
            ],
          },
          { id: 'b', url: 'ws://h/2', createdAt: 5, frames: [] },
        ],
      }),
    );
    expect(sockets.map((s) => s.id)).toEqual(['b', 'b#4']);
    expect(sockets[0]).toEqual({
      id: 'b',
      url: 'ws://h/',
      requestedProtocols: [],
      createdAt: 0,
      frames: [{ dir: 'send', time: 2, opcode: 1, data: 'héllo', size: 6 }],
    });
    expect(warnings).toEqual([
      'socket 1: not an object, skipped',
      'socket 2: no url, skipped',
      'socket 3: no createdAt, using 0',
      'socket 3, frame 1: needs dir send|receive, opcode 1|2 and a numeric time, skipped',
      'socket 3, frame 2: data is not a string, skipped',
      "socket 4: duplicate id 'b', renamed",
    ]);
  });
});
