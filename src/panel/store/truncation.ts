/**
 * What the capture cut from a socket's strings (`truncatedFields`, capture-bounds.ts), in words for
 * the detail's note: each field with what was kept of it.
 */
import { CAPTURE_LIMITS as L } from '../../protocol/capture-bounds';
import { TRUNCATABLE_FIELDS, type TruncatedField } from '../../protocol/capture';

const n = (x: number) => x.toLocaleString('en-US');

const KEPT: Record<TruncatedField, string> = {
  url: `the URL (its first ${n(L.urlChars)} characters)`,
  pageUrl: `the page's URL (its first ${n(L.pageUrlChars)} characters)`,
  worker: `the worker's script URL (its first ${n(L.urlChars)} characters)`,
  protocols: `the requested protocols (at most ${n(L.protocolCount)}, each its first ${n(L.protocolChars)} characters)`,
  protocol: `the negotiated protocol (its first ${n(L.negotiatedProtocolChars)} characters)`,
  extensions: `the negotiated extensions (their first ${n(L.extensionsChars)} characters)`,
  reason: `the close reason (its first ${n(L.reasonChars)} characters)`,
  message: `the error message (its first ${n(L.messageChars)} characters)`,
};

/** The sentence for a socket whose fields were cut, in the fields' usual order; null when none was. */
export function truncationNote(fields: readonly TruncatedField[] | undefined): string | null {
  const cut = TRUNCATABLE_FIELDS.filter((f) => fields?.includes(f));
  if (cut.length === 0) return null;
  return `The capture cut what the page gave past its limits and kept only ${cut.map((f) => KEPT[f]).join('; ')}.`;
}
