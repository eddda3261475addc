import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControls, escapeStrings, jsonForTerminal } from '../../../src/protocol/terminal-safe';
import { plainRuleText } from '../../../src/cli/timeline-text';
import { RULES } from '../../../src/protocol/rules';
import { STATUS_CODES } from '../../../src/protocol/status-codes';
import { RAW_CONTROL } from './cli-helpers';

/** Any code point, lone surrogates included, with the hostile ones drawn often. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\x1b', '\x07', '\x9b', '\x7f', '\n', '\r', '\u202e', '\u2066', '\u2028', '\ud800'),
    fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
  ),
});

describe('escapeControls', () => {
  it.each([
    ['an erase-display sequence', 'ws://x/\x1b[2J', 'ws://x/\\x1b[2J'],
    ['a window-title OSC ended by BEL', '\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['a hyperlink OSC ended by ST', '\x1b]8;;http://evil\x1b\\', '\\x1b]8;;http://evil\\x1b\\'],
    ['an 8-bit CSI (C1)', 'a\u009b31mb', 'a\\x9b31mb'],
    ['NUL, backspace, DEL', 'a\x00b\x08c\x7f', 'a\\x00b\\x08c\\x7f'],
    ['forged lines', 'x\r\noutcome: open\tok', 'x\\r\\noutcome: open\\tok'],
    ['a right-to-left override', 'invoice\u202egnp.exe', 'invoice\\u202egnp.exe'],
    ['bidi isolates and marks', '\u2066a\u2069\u200f\u061c', '\\u2066a\\u2069\\u200f\\u061c'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ])('shows %s as escapes', (_name, input, shown) => {
    expect(escapeControls(input)).toBe(shown);
    expect(escapeControls(input)).not.toMatch(RAW_CONTROL);
  });

  it('leaves readable text alone: accents, CJK, emoji (with joiners), arrows, backslashes', () => {
    const text = 'Grüße 東京 👩‍💻 → ws://h/a\\b?x=1 « ok »';
    expect(escapeControls(text)).toBe(text);
  });

  it('never lets a control character through, whatever the input', () => {
    fc.assert(fc.property(anyText, (s) => !RAW_CONTROL.test(escapeControls(s))));
  });
});

describe('jsonForTerminal', () => {
  it('escapes what JSON.stringify leaves raw and parses back to the same value', () => {
    const value = { url: 'ws://x/\u202e\u009b\x7f\u2028\x1b', list: ['\ud800', 'plain'] };
    const text = jsonForTerminal(value);
    expect(text.split('\n').some((line) => RAW_CONTROL.test(line))).toBe(false);
    expect(text).toContain('\\u202e');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('is lossless for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (v, s) => {
        const value = { v, s };
        const text = jsonForTerminal(value);
        expect(text.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('escapeStrings', () => {
  it('escapes every string of a report, keys too, and keeps a __proto__ key a plain key', () => {
    const params = JSON.parse('{"__proto__": "\\u001b[31m", "t\\u0007": 1}') as Record<string, unknown>;
    const out = escapeStrings({ a: ['\x1b', { b: '\u202e' }], n: 3, ok: true, none: null, params });
    const { params: escaped, ...rest } = out;
    expect(rest).toEqual({ a: ['\\x1b', { b: '\\u202e' }], n: 3, ok: true, none: null });
    expect(Object.entries(escaped)).toEqual([
      ['__proto__', '\\x1b[31m'],
      ['t\\x07', 1],
    ]);
    expect(Object.getPrototypeOf(escaped)).toBe(Object.prototype);
  });
});

describe('rule text for the terminal', () => {
  it('unwraps the terms the spec marks with underscores, in every status-table sentence', () => {
    for (const [code, entry] of Object.entries(STATUS_CODES)) {
      const plain = plainRuleText(`${code} Reason: ${entry.specAction}`);
      expect(plain, `status ${code}`).not.toMatch(/(^|\s)_\S|\S_([\s.,;:]|$)/);
      expect(plain.replace(/\s+/g, ' ')).toBe(
        `${code} Reason: ${entry.specAction.replace(/_([^_]+)_/g, '$1')}`.replace(/\s+/g, ' '),
      );
    }
    expect(plainRuleText('MUST _Close the WebSocket Connection_ following [WSP]')).toBe(
      'MUST Close the WebSocket Connection following [WSP]',
    );
  });

  it('leaves captured text a finding quotes as it was sent', () => {
    expect(plainRuleText('302 _Found_ x_y_z: see __init__')).toBe('302 _Found_ x_y_z: see __init__');
  });

  it('the rule catalogue itself carries no Markdown', () => {
    for (const [id, rule] of Object.entries(RULES)) {
      for (const text of [rule.title, rule.spec, rule.explain]) {
        expect(text, id).not.toMatch(/(^|\s)(_|\*{1,2}|`)\S|\S(_|\*{1,2}|`)([\s.,;:]|$)|\]\(/);
      }
    }
  });
});
