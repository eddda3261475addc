/**
 * Adding and removing application-class extensions in the draft's `Sec-WebSocket-Extensions`
 * header. Spec: the header "MUST contain a non-empty list of extension names which the client
 * desires, in an order of client preference"; real clients write it without spaces after commas
 * (guide, "Extended handshake request").
 */
import { IDLE_TIMEOUT_EXTENSION, PING_PONG_EXTENSION } from '../protocol/control-frames';
import { parseExtensionsHeader } from '../protocol/extensions';
import { getHeaders } from '../protocol/http1';
import type { Header } from '../protocol/model';
import { setHeader } from './draft';

const HEADER = 'Sec-WebSocket-Extensions';

/** Extensions the editor offers, with what they ask of the server. */
export const KNOWN_EXTENSIONS = [
  { name: IDLE_TIMEOUT_EXTENSION, summary: 'the server grants a timeout and keeps the link alive' },
  { name: PING_PONG_EXTENSION, summary: 'extended ping/pong control frames (text, 4-byte prefix)' },
] as const;

/** Names requested in the headers, in order (elements as written, parameters dropped). */
export function requestedExtensions(headers: readonly Header[]): string[] {
  return parseExtensionsHeader(getHeaders([...headers], HEADER)).map((e) => e.name);
}

/**
 * The headers with extension `name` requested (`on`) or not. The list is rewritten as one header;
 * when it becomes empty the header is removed (an empty list is not allowed).
 */
export function withExtension(headers: readonly Header[], name: string, on: boolean): Header[] {
  const lower = name.toLowerCase();
  const elements = parseExtensionsHeader(getHeaders([...headers], HEADER));
  const has = elements.some((e) => e.name.toLowerCase() === lower);
  if (on === has) return [...headers];
  const next = on
    ? [...elements.map((e) => e.raw), name]
    : elements.filter((e) => e.name.toLowerCase() !== lower).map((e) => e.raw);
  if (next.length === 0) return headers.filter((h) => h[0].toLowerCase() !== HEADER.toLowerCase());
  return setHeader(headers, HEADER, next.join(','));
}
