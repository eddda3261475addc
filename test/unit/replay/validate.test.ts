import { describe, expect, it } from 'vitest';
import { decodeSocket } from '../../../src/protocol/decoder';
import { buildCommand, previewDraft } from '../../../src/replay/command';
import { draftFromConnection } from '../../../src/replay/draft';
import { readReplayMarker } from '../../../src/replay/marker';
import type { ReplayDraft } from '../../../src/replay/types';
import { canSend, protocolIssues, urlIssues, validateDraft } from '../../../src/replay/validate';
import { authSocket } from '../../fixtures/panel/captures';

const base = (): ReplayDraft => draftFromConnection(decodeSocket(authSocket), authSocket);
const messages = (d: ReplayDraft, severity: 'error' | 'warning') =>
  validateDraft(d)
    .filter((i) => i.severity === severity)
    .map((i) => i.message);

describe('draft validation', () => {
  it('accepts the captured request as it is', () => {
    expect(validateDraft(base())).toEqual([]);
    expect(canSend(validateDraft(base()))).toBe(true);
  });

  it('wants an absolute ws:// or wss:// URL without fragment', () => {
    expect(urlIssues('ws://h/echo')).toEqual([]);
    expect(urlIssues('wss://h:9/e?x=1')).toEqual([]);
    expect(urlIssues('http://h/echo')[0]?.message).toMatch(/use ws:\/\//);
    expect(urlIssues('https://h/echo')[0]?.message).toMatch(/use wss:\/\//);
    expect(urlIssues('ftp://h/')[0]?.message).toMatch(/not ftp:/);
    expect(urlIssues('/echo')[0]?.message).toMatch(/not an absolute URL/);
    expect(urlIssues('ws://h/echo#x')[0]?.message).toMatch(/fragment/);
  });

  it('wants token protocols, no repeats, and x-kaazing-handshake', () => {
    expect(protocolIssues(['x-kaazing-handshake', 'amqp'])).toEqual([]);
    const bad = protocolIssues(['amqp', 'amqp', 'two words', '']).map((i) => i.message);
    expect(bad).toEqual([
      '"amqp" is requested twice (the browser refuses repeats).',
      '"two words" is not a valid protocol name (a token: no spaces, commas or quotes).',
      '"" is not a valid protocol name (a token: no spaces, commas or quotes).',
      'The protocols must include x-kaazing-handshake.',
    ]);
  });

  it('explains a raw request that is not HTTP, with its line', () => {
    const d = { ...base(), mode: 'raw' as const, raw: 'GET /echo HTTP/1.1\nSec-WebSocket-Protocol amqp\n' };
    const errors = messages(d, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Line 2: /);
    expect(canSend(validateDraft(d))).toBe(false);
  });

  it('explains bad table rows', () => {
    const d = base();
    d.parts = {
      ...d.parts,
      method: 'G T',
      headers: [...d.parts.headers, ['Bad Name', 'v'], ['X', 'a\nInjected: 1']],
    };
    const errors = messages(d, 'error');
    expect(errors).toContain('The method "G T" is not a token.');
    expect(errors).toContain('Header 4: the name "Bad Name" is not a token.');
    expect(errors).toContain('Header 5 (X): the value cannot contain line breaks.');
    const v = { ...base(), parts: { ...base().parts, version: 'HTTP/2' } };
    expect(messages(v, 'error')[0]).toMatch(/HTTP\/1\.1/);
  });

  it('warns about what a gateway rejects: path mismatch, not GET, missing protocols, empty extension list', () => {
    const d = base();
    d.parts = {
      ...d.parts,
      method: 'POST',
      target: '/other',
      headers: [['Sec-WebSocket-Extensions', ' , ']],
    };
    const warnings = messages(d, 'warning');
    expect(warnings).toEqual([
      'Clients send GET; a gateway will likely answer POST with 400.',
      'The target path /other differs from the URL path /echo: a gateway answers 400.',
      'Sec-WebSocket-Protocol should list the other requested protocols: amqp.',
      'Sec-WebSocket-Extensions is empty: remove it or list an extension.',
    ]);
    expect(canSend(validateDraft(d))).toBe(true);
  });

  it('bounds redirects to 0..5 and checks 401 credentials', () => {
    const d = base();
    d.options = { ...d.options, maxRedirects: 6, answer401: { scheme: 'Basic', user: 'a:b', password: '' } };
    expect(messages(d, 'error')).toEqual([
      'Follow at most 0 to 5 redirects.',
      'A Basic user name cannot contain ":" (RFC 7617).',
    ]);
  });
});

describe('command and preview', () => {
  it('does not send captured credentials by default, and shows them as removed', () => {
    const d = base();
    d.capturedCredentials = [['Cookie', 'sid=1']];
    const built = buildCommand(d);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.preview.removed).toEqual([['Cookie', 'sid=1']]);
    expect(built.command.request).not.toContain('Cookie');
    expect(built.command.authorization).toBeNull();
    expect(built.command.url).toBe('ws://gw.example.com/echo?.kl=Y');
    expect(built.command.protocols).toEqual(['x-kaazing-handshake', 'amqp']);
    expect(readReplayMarker(built.command.marker)).toBe('auth');
    expect(built.command.replayOf).toBe('auth');
  });

  it('sends captured credentials only when kept, the captured 401 answer included', () => {
    const d = base();
    d.capturedCredentials = [['Cookie', 'sid=1']];
    d.options = { ...d.options, keepCapturedCredentials: true };
    const p = previewDraft(d)!;
    expect(p.request).toContain('\r\nCookie: sid=1\r\n\r\n');
    expect(p.removed).toEqual([]);
    expect(p.answer401).toBe('Basic am9lOndlbGNvbWU=');
  });

  it('answers 401 with helper credentials, which win over captured ones', () => {
    const d = base();
    d.options = { ...d.options, keepCapturedCredentials: true, answer401: { scheme: 'Token', token: 'abc' } };
    expect(previewDraft(d)!.answer401).toBe('Token abc');
  });

  it('refuses to build a command for a draft with errors', () => {
    const built = buildCommand({ ...base(), url: 'http://x/echo' });
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.issues[0]?.field).toBe('url');
  });

  it('sends the raw text as typed (CRLF-normalised) and says when redirects are off', () => {
    const d = { ...base(), mode: 'raw' as const, raw: 'GET /echo HTTP/1.1\nX-Test: 1' };
    d.options = { ...d.options, followRedirects: false };
    const built = buildCommand(d);
    expect(built.ok && built.command.request).toBe('GET /echo HTTP/1.1\r\nX-Test: 1\r\n\r\n');
    expect(built.ok && built.command.maxRedirects).toBe(0);
  });
});
