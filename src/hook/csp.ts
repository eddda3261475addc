/**
 * Whether the hook may start a page's worker from a `blob:` bootstrap (src/hook/workers.ts) without
 * the page's Content-Security-Policy refusing it. A refusal is not silent (the page gets a
 * `securitypolicyviolation` event, the site a report, the worker an error), so the hook starts a
 * bootstrap only when it knows every policy of the document allows it; otherwise it stands aside.
 *
 * Policies come from two places: the response's `Content-Security-Policy` and
 * `Content-Security-Policy-Report-Only` headers, which only the background can read (it sends its
 * verdict as `hook-policy`), and `<meta http-equiv="Content-Security-Policy">` elements, read here.
 * A meta element's policy applies from its insertion on (HTML "pragma directives", CSP3
 * #meta-element) and stays when the element is removed or its `content` changed; the hook does not
 * watch insertions (that would cost the page on every DOM change), so it reads the elements present
 * at each call and remembers a document once it saw one that denies. A meta inserted and removed
 * before the first call, or whose `content` was rewritten, is missed: only a page doing so on purpose
 * gets a violation from it.
 *
 * This runs in the page's MAIN world when a page constructs a worker: the DOM is read through natives
 * captured at `document_start` (natives.ts), and any doubt (a missing native, a throw) answers false.
 */
import { asciiLowercase, headerAllowsBlobWorkers, policyAllowsBlobWorkers } from '../protocol/csp-policy';
import type { Natives } from './natives';

/**
 * Metas with an `http-equiv`; its value is matched here, ASCII case-insensitively and exactly (HTML
 * "pragma directives", #attr-meta-http-equiv). Metas outside `<head>` are not applied by browsers;
 * counting them only makes the answer more cautious.
 */
const METAS = 'meta[http-equiv]';

/** Documents in which a meta element that denies was seen (its policy outlives the element). */
const denied = new WeakSet<object>();

/**
 * `headerVerdict`: what the background read of the document's CSP headers (undefined until it
 * answered). Policies delivered in `<meta>` elements are read here at the time of the call.
 */
export function blobWorkersAllowed(n: Natives, headerVerdict: boolean | undefined): boolean {
  if (headerVerdict !== true) return false;
  try {
    const doc = n.document();
    if (typeof doc !== 'object' || doc === null) return false;
    if (n.apply(n.weakSetHas, denied, [doc])) return false;
    if (!n.querySelectorAll || !n.nodeListItem || !n.getAttribute) return false;
    const metas = n.apply(n.querySelectorAll, doc, [METAS]);
    const count = n.nodeListLength(metas);
    if (typeof count !== 'number') return false;
    for (let i = 0; i < count; i++) {
      const meta = n.apply(n.nodeListItem, metas, [i]);
      if (meta === null) return false;
      const equiv = n.apply(n.getAttribute, meta, ['http-equiv']);
      if (typeof equiv !== 'string') return false;
      if (asciiLowercase(equiv) !== 'content-security-policy') continue;
      const content = n.apply(n.getAttribute, meta, ['content']);
      // No content, or empty: the meta sets no policy (HTML, Content security policy state).
      if (content === null || content === '') continue;
      if (typeof content !== 'string' || !metaAllows(content)) {
        n.apply(n.weakSetAdd, denied, [doc]);
        return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * A meta element's content: CSP3 #meta-element parses it as one serialized policy (a comma is part of a
 * token), where a browser may split it on commas as it does a header; it must allow either way.
 */
function metaAllows(content: string): boolean {
  return policyAllowsBlobWorkers(content) && headerAllowsBlobWorkers(content);
}
