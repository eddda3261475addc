/**
 * What may reach the terminal. A capture, a server's answer or a client's request can carry any
 * character: an escape sequence in a socket URL or a reason phrase could move the cursor, rewrite
 * earlier lines, retitle the window or hide text, and a bidi override could show a URL backwards.
 * Every command that prints such data passes it through `escapeControls` on its way out, so those
 * characters are shown as escapes (`\x1b`, `\u202e`) and never acted on.
 */

/**
 * The characters that are never written raw: C0 and C1 controls and DEL (`\p{Cc}`, which includes
 * line breaks and tabs), the line and paragraph separators, the bidi embeddings, overrides, isolates
 * and marks (Unicode's Bidi_Control set), and lone surrogates (which would print as U+FFFD, hiding
 * what was there).
 */
const UNSAFE = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** How `escapeControls` writes an escape. */
export type EscapeStyle = 'text' | 'json';

/**
 * Shows every control character of `text` as an escape, leaving all else as it is.
 *
 * `text` style (a value about to be printed): `\t`, `\n`, `\r`, `\xHH` up to U+00FF, `\uHHHH` beyond.
 * `json` style (the whole text of a JSON document): `\uHHHH` only, and line breaks are kept, since
 * JSON.stringify escapes every control inside strings already and its raw line breaks are layout; the
 * result parses to the same value.
 */
export function escapeControls(text: string, style: EscapeStyle = 'text'): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    if (style === 'json') return ch === '\n' ? ch : `\\u${hex(code, 4)}`;
    return SHORT[ch] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
  });
}

/**
 * A copy of plain data (a JSON report) with every string, keys included, passed through
 * `escapeControls`. Keys are defined, not assigned, so a captured name such as `__proto__` (an
 * extension parameter) stays an ordinary key.
 */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => escapeStrings(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const field = { value: escapeStrings(v), enumerable: true, writable: true, configurable: true };
      Object.defineProperty(out, escapeControls(k), field);
    }
    return out as T;
  }
  return value;
}

/** `value` as indented JSON that is safe to print (lossless: it parses back to the same value). */
export function jsonForTerminal(value: unknown): string {
  return escapeControls(JSON.stringify(value, null, 2), 'json');
}
