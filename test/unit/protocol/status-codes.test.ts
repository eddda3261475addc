import { describe, expect, it } from 'vitest';
import { STATUS_CODES, readStatus } from '../../../src/protocol/status-codes';

const codesWith = (action: string): number[] =>
  Object.entries(STATUS_CODES)
    .filter(([, e]) => e.action === action)
    .map(([c]) => Number(c));

describe('STATUS_CODES', () => {
  it('gives the actions the spec names to exactly these codes', () => {
    expect(codesWith('completed')).toEqual([101, 201, 204, 205]);
    expect(codesWith('authenticate')).toEqual([401]);
    expect(codesWith('redirect')).toEqual([300, 301, 302, 303]);
    expect(codesWith('conditional')).toEqual([100, 307]);
    expect(codesWith('wait')).toEqual([202]);
    expect(codesWith('continue')).toEqual([]);
  });

  it('has every other listed code close, with a reason and the spec sentence', () => {
    for (const [code, entry] of Object.entries(STATUS_CODES)) {
      expect(entry.reason.length, code).toBeGreaterThan(0);
      expect(entry.specAction.length, code).toBeGreaterThan(20);
    }
    expect(codesWith('close')).toHaveLength(Object.keys(STATUS_CODES).length - 12);
  });
});

describe('readStatus, listed codes', () => {
  it.each([
    [101, 'completed', 'Switching Protocols'],
    [201, 'completed', 'Created'],
    [204, 'completed', 'No Content'],
    [205, 'completed', 'Reset Content'],
    [401, 'authenticate', 'Unauthorized'],
    [300, 'redirect', 'Multiple Choices'],
    [301, 'redirect', 'Moved Permanently'],
    [302, 'redirect', 'Found'],
    [303, 'redirect', 'See Other'],
    [202, 'wait', 'Accepted'],
    [200, 'close', 'OK'],
    [304, 'close', 'Not Modified'],
    [403, 'close', 'Forbidden'],
    [418, 'close', "I'm a teapot"],
    [426, 'close', 'Upgrade Required'],
    [599, 'close', 'network connect timeout error'],
  ])('%i reads as %s', (code, action, reason) => {
    const r = readStatus(code);
    expect(r).toMatchObject({ code, action, listed: true, reason, classCode: Math.floor(code / 100) * 100 });
    expect(r.specAction).toBe(STATUS_CODES[code]!.specAction);
    expect(r.meaning.length).toBeGreaterThan(10);
    expect(r.note).toBeUndefined();
  });

  it('reads a string code as the number', () => {
    expect(readStatus('401')).toEqual(readStatus(401));
    expect(readStatus('101').action).toBe('completed');
  });

  it('quotes the spec sentence for 101', () => {
    expect(readStatus(101).specAction).toContain('MUST consider the _extended handshake completed_');
  });
});

describe('readStatus, conditional codes', () => {
  it('follows 307 only after a GET request', () => {
    expect(readStatus(307, { method: 'GET' })).toMatchObject({ action: 'redirect', listed: true });
    expect(readStatus(307, { method: 'GET' }).note).toBeUndefined();
    const post = readStatus(307, { method: 'POST' });
    expect(post.action).toBe('close');
    expect(post.note).toMatch(/GET/);
    expect(post.note).toMatch(/POST/);
    expect(readStatus(307).action).toBe('close');
    expect(readStatus(307).note).toMatch(/unknown/);
  });

  it('continues on 100 only when the request carried Expect', () => {
    expect(readStatus(100, { expect: true })).toMatchObject({ action: 'continue', listed: true });
    const plain = readStatus(100, { method: 'GET', expect: false });
    expect(plain.action).toBe('close');
    expect(plain.note).toMatch(/Expect/);
    expect(readStatus(100).action).toBe('close');
  });

  it('does not let the context change unconditional codes', () => {
    expect(readStatus(302, { method: 'POST' }).action).toBe('redirect');
    expect(readStatus(404, { expect: true }).action).toBe('close');
  });
});

describe('readStatus, unlisted codes read by class', () => {
  it.each([
    [250, 200, 'close'],
    [299, 200, 'close'],
    [399, 300, 'redirect'],
    [309, 300, 'redirect'],
    [430, 400, 'close'],
    [508, 500, 'close'],
    [150, 100, 'close'],
  ])('%i reads like %i', (code, classCode, action) => {
    const r = readStatus(code);
    expect(r).toMatchObject({ code, classCode, action, listed: false, reason: '' });
    expect(r.specAction).toBe(STATUS_CODES[classCode]!.specAction);
    expect(r.note).toContain(`${code} is not in the spec's table`);
    expect(r.note).toContain(String(classCode));
  });

  it('applies the class entry condition too (1xx like 100)', () => {
    expect(readStatus(199, { expect: true }).action).toBe('continue');
    const r = readStatus(199);
    expect(r.action).toBe('close');
    expect(r.note).toMatch(/not in the spec's table.*Expect/);
  });
});

describe('readStatus, invalid codes', () => {
  it.each([
    ['099', 99],
    ['600', 600],
    ['1a1', null],
    [42, 42],
    [1000, 1000],
    ['', null],
    [' 200', null],
    ['2000', 2000],
    [99, 99],
    [600, 600],
    [1.5, null],
    [Number.NaN, null],
  ])('%j is invalid', (input, code) => {
    const r = readStatus(input);
    expect(r).toMatchObject({
      code,
      action: 'invalid',
      listed: false,
      classCode: null,
      reason: '',
      specAction: '',
    });
    expect(r.note).toContain('not a three-digit status code');
  });
});
