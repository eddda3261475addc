/**
 * Sec-WebSocket-Extensions header values, parsed into `Extension` records.
 *
 * Grammar as in RFC 6455 section 9.1: `ext, ext` where `ext = name *( ";" param )` and
 * `param = token [ "=" (token / quoted-string) ]`. KHP adds control-prefix extensions, granted with a
 * bare 8-hex-digit parameter (`x-kaazing-ping-pong; 01010102`): that parameter is the 4-byte prefix
 * that marks control frames after the handshake (see the guide, "Application-class extensions").
 */
import { prefixBytes } from './control-frames';
import type { Extension } from './model';

const HEX8 = /^[0-9a-fA-F]{8}$/;

/** Splits `text` on `sep` outside double-quoted strings (backslash escapes honoured). */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

/** Parses one extension element (`name; a=1; b`). Returns null for an empty element. */
export function parseExtension(element: string): Extension | null {
  const raw = element.trim();
  if (raw === '') return null;
  const [head = '', ...rest] = splitOutsideQuotes(raw, ';');
  const name = head.trim();
  if (name === '') return null;
  const params: Extension['params'] = {};
  let controlPrefix: string | undefined;
  for (const part of rest) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) {
      params[p] = true;
      if (controlPrefix === undefined && HEX8.test(p)) controlPrefix = p.toLowerCase();
      continue;
    }
    const key = p.slice(0, eq).trim();
    const value = unquote(p.slice(eq + 1).trim());
    // x-kaazing-idle-timeout; timeout=<ms>: the one numeric parameter the guide names.
    if (key === 'timeout' && /^\d+$/.test(value)) params[key] = Number(value);
    else params[key] = value;
  }
  const ext: Extension = { name, params, raw };
  if (controlPrefix !== undefined) ext.controlPrefix = controlPrefix;
  return ext;
}

/**
 * Parses Sec-WebSocket-Extensions values: one header value with comma-separated elements, or several
 * header lines (gateways send one line per granted extension). Empty elements are skipped.
 */
export function parseExtensionsHeader(values: string | string[]): Extension[] {
  const list = typeof values === 'string' ? [values] : values;
  const out: Extension[] = [];
  for (const value of list) {
    for (const element of splitOutsideQuotes(value, ',')) {
      const ext = parseExtension(element);
      if (ext) out.push(ext);
    }
  }
  return out;
}

/** Names of the extensions, lower-cased (extension names are tokens, compared case-insensitively). */
export function extensionNames(extensions: readonly Extension[]): string[] {
  return extensions.map((e) => e.name.toLowerCase());
}

/** Names of the extensions listed in Sec-WebSocket-Extensions values (`a; p=1, b` → `['a', 'b']`), lower-cased. */
export function extensionNamesIn(values: string | string[]): string[] {
  return extensionNames(parseExtensionsHeader(values));
}

/** Control prefixes (as 4-byte arrays) of the extensions that carry one. */
export function controlPrefixes(extensions: readonly Extension[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const e of extensions) {
    const bytes = e.controlPrefix === undefined ? null : prefixBytes(e.controlPrefix);
    if (bytes) out.push(bytes);
  }
  return out;
}
