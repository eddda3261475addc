import { describe, expect, it } from 'vitest';
import {
  controlPrefixes,
  extensionNames,
  parseExtension,
  parseExtensionsHeader,
} from '../../../src/protocol/extensions';

describe('parseExtensionsHeader', () => {
  const cases: { name: string; input: string | string[]; names: string[] }[] = [
    {
      name: 'comma list without spaces (real client request)',
      input: 'x-kaazing-idle-timeout,x-kaazing-ping-pong',
      names: ['x-kaazing-idle-timeout', 'x-kaazing-ping-pong'],
    },
    { name: 'comma list with spaces', input: 'a; p=1, b', names: ['a', 'b'] },
    {
      name: 'one header line per extension (gateway response)',
      input: ['x-kaazing-idle-timeout; timeout=20000', 'x-kaazing-ping-pong; 01010102'],
      names: ['x-kaazing-idle-timeout', 'x-kaazing-ping-pong'],
    },
    { name: 'empty value', input: '', names: [] },
    { name: 'only separators', input: ' , ,', names: [] },
    { name: 'quoted comma inside a parameter', input: 'a; q="x,y", b', names: ['a', 'b'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseExtensionsHeader(c.input).map((e) => e.name)).toEqual(c.names);
    });
  }

  it('parses parameters: numeric timeout, bare flags, quoted strings', () => {
    const [idle, other] = parseExtensionsHeader(
      'x-kaazing-idle-timeout; timeout=20000, ext; flag; q="a,b"; k=v',
    );
    expect(idle?.params).toEqual({ timeout: 20000 });
    expect(other?.params).toEqual({ flag: true, q: 'a,b', k: 'v' });
    expect(other?.controlPrefix).toBeUndefined();
  });

  it('reads an 8-hex-digit bare parameter as the control prefix', () => {
    const ext = parseExtension('x-kaazing-ping-pong; 01010102');
    expect(ext?.controlPrefix).toBe('01010102');
    expect(ext?.raw).toBe('x-kaazing-ping-pong; 01010102');
    expect(parseExtension('x-kaazing-http-revalidate; 56414C49')?.controlPrefix).toBe('56414c49');
    expect(parseExtension('x; 0101010')?.controlPrefix).toBeUndefined();
    expect(parseExtension('x; 010101020')?.controlPrefix).toBeUndefined();
  });

  it('turns control prefixes into bytes and names into lower case', () => {
    const exts = parseExtensionsHeader(['X-Kaazing-Ping-Pong; 01010102', 'plain']);
    expect(controlPrefixes(exts)).toEqual([new Uint8Array([1, 1, 1, 2])]);
    expect(extensionNames(exts)).toEqual(['x-kaazing-ping-pong', 'plain']);
  });

  it('ignores an element without a name', () => {
    expect(parseExtension('; p=1')).toBeNull();
  });
});
