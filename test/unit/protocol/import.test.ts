import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError, importFile, importJson, sniffKind } from '../../../src/protocol/import';
import { writeCaptureFile } from '../../../src/protocol/capture-file';

const chrome = readFileSync(new URL('../../fixtures/chrome/khp-gateway-chrome.har', import.meta.url), 'utf8');

describe('importFile', () => {
  it('reads a HAR file', () => {
    const out = importFile(chrome);
    expect(out.kind).toBe('har');
    expect(out.sockets.map((s) => s.url)).toEqual(['ws://gateway.example.com:8001/echo?.kl=Y']);
  });

  it('reads a capture file, with a byte-order mark', () => {
    const file = writeCaptureFile(
      [{ id: 'x', url: 'ws://h/', requestedProtocols: [], createdAt: 1, frames: [] }],
      { now: new Date(0) },
    );
    const out = importFile('\ufeff' + JSON.stringify(file));
    expect(out.kind).toBe('capture');
    expect(out.sockets[0]!.id).toBe('x');
  });

  it.each([
    ['', /the file is empty/],
    ['{"log": ', /^not JSON \(/],
    ['nope\n', /^not JSON \(.*nope.* is not valid JSON\)$/],
    ['[1,2]', /neither a HAR file nor a KHP Inspector capture file/],
    ['{"format":"khp-inspector-capture","version":9,"sockets":[]}', /newer KHP Inspector/],
    ['{"log": {"entries": 3}}', /no "log.entries"/],
  ])('throws a one-line ImportError for %j', (text, message) => {
    let error: unknown;
    try {
      importFile(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('sniffs the kind of parsed JSON', () => {
    expect(sniffKind({ log: {} })).toBe('har');
    expect(sniffKind({ format: 'khp-inspector-capture' })).toBe('capture');
    expect(sniffKind({ sockets: [] })).toBeNull();
    expect(() => importJson(42)).toThrow(ImportError);
  });
});
