/**
 * What each frame's document allows by its Content-Security-Policy headers, for the hook's one
 * question: may it start a page's worker from a `blob:` bootstrap (src/hook/csp.ts)? A MAIN-world
 * script cannot read its document's response headers; the background reads them from
 * `webRequest.onHeadersReceived` (main and sub frames, non-blocking) and answers each relay when it
 * connects (`hook-policy`, router.ts).
 *
 * Kept per (tab, frame): the response's URL without its fragment, and whether every policy of its
 * `Content-Security-Policy` and `Content-Security-Policy-Report-Only` headers allows a `blob:` worker
 * (report-only ones too: a refusal they would report still reaches the site). Nothing else of the
 * response is read or kept. A frame's entry is replaced by its next response, a tab's entries go
 * with its top frame's next response and when it closes, and at most `maxFrames` are kept (the
 * oldest go first). Memory only: a stopped service worker forgets them, and a relay that connects
 * after that is answered "no".
 *
 * The headers and the relay's port reach the background by different roads, and Firefox may deliver
 * the port first (seen in the browser tests): `answer` waits a moment for a document not known yet.
 */
import { policiesAllowBlobWorkers } from '../protocol/csp-policy';

/** The part of `webRequest.onHeadersReceived`'s details read here. */
export interface HeadersDetails {
  tabId: number;
  frameId: number;
  url: string;
  type?: string;
  statusCode?: number;
  responseHeaders?: { name: string; value?: string; binaryValue?: unknown }[];
}

interface FramePolicy {
  url: string;
  blobWorkers: boolean;
}

/** Frames kept at most by default (all tabs together). */
export const MAX_FRAMES = 2000;

/** How long `answer` waits by default for the headers of a document not known yet (ms). */
export const ANSWER_WAIT_MS = 2000;

/** A URL without its fragment; '' for anything that is not an absolute http(s) URL. */
export function documentUrl(url: unknown): string {
  if (typeof url !== 'string' || !/^https?:/i.test(url)) return '';
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/**
 * The verdict of a response's CSP headers (names ASCII case-insensitive; any number of each): true
 * when every policy allows a `blob:` worker. A header given only as bytes (`binaryValue`: not
 * readable as text) denies.
 */
export function headersAllowBlobWorkers(headers: HeadersDetails['responseHeaders']): boolean {
  const values: string[] = [];
  for (const h of headers ?? []) {
    const name = typeof h.name === 'string' ? h.name.toLowerCase() : '';
    if (name !== 'content-security-policy' && name !== 'content-security-policy-report-only') continue;
    if (typeof h.value !== 'string') return false;
    values.push(h.value);
  }
  return policiesAllowBlobWorkers(values);
}

/** Per-frame CSP verdicts, from response headers. */
export class FramePolicies {
  /** By `tabId:frameId`, oldest first (an entry set again moves to the end). */
  private readonly frames = new Map<string, FramePolicy>();
  /** `answer`s waiting for headers: each looks again after every response read. */
  private readonly waiting = new Set<() => void>();

  constructor(private readonly maxFrames = MAX_FRAMES) {}

  /** `webRequest.onHeadersReceived` for a `main_frame` or `sub_frame` request. */
  onHeadersReceived(d: HeadersDetails): void {
    if (typeof d.tabId !== 'number' || d.tabId < 0 || typeof d.frameId !== 'number') return;
    // A new top-level document replaces every frame of the tab.
    // (Chromium reports a prerendered page as a `main_frame` of another frame id: not this case.)
    if (d.frameId === 0) this.onTabRemoved(d.tabId);
    const key = `${d.tabId}:${d.frameId}`;
    this.frames.delete(key);
    // 204 and 205 leave the frame's document in place (no new document): the old one's entry is not
    // kept either, as the response may have been for the same URL.
    if (d.statusCode === 204 || d.statusCode === 205) return;
    const url = documentUrl(d.url);
    if (!url) return;
    this.frames.set(key, { url, blobWorkers: headersAllowBlobWorkers(d.responseHeaders) });
    for (const oldest of this.frames.keys()) {
      if (this.frames.size <= this.maxFrames) break;
      this.frames.delete(oldest);
    }
    for (const look of [...this.waiting]) look();
  }

  /** `tabs.onRemoved`: forget the tab's frames. */
  onTabRemoved(tabId: number): void {
    const prefix = `${tabId}:`;
    for (const key of [...this.frames.keys()]) if (key.startsWith(prefix)) this.frames.delete(key);
  }

  /**
   * Whether the document at `url` in the frame may start a `blob:` worker by its headers: only when
   * the frame's last response was for that document (same URL, fragments aside) and allows it.
   */
  blobWorkers(tabId: number | undefined, frameId: number | undefined, url: unknown): boolean {
    return this.known(tabId, frameId, url)?.blobWorkers === true;
  }

  /**
   * `blobWorkers`, once the frame's response for that document was read, or false after `waitMs`
   * without it (or at once for a document that is not http(s)).
   */
  answer(
    tabId: number | undefined,
    frameId: number | undefined,
    url: unknown,
    waitMs = ANSWER_WAIT_MS,
  ): Promise<boolean> {
    const now = this.known(tabId, frameId, url);
    if (now || waitMs <= 0 || documentUrl(url) === '') return Promise.resolve(now?.blobWorkers === true);
    return new Promise((resolve) => {
      const done = (allowed: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(look);
        resolve(allowed);
      };
      const look = () => {
        const known = this.known(tabId, frameId, url);
        if (known) done(known.blobWorkers);
      };
      const timer = setTimeout(() => done(false), waitMs);
      this.waiting.add(look);
    });
  }

  /** The frame's entry, if it is for the document at `url`. */
  private known(
    tabId: number | undefined,
    frameId: number | undefined,
    url: unknown,
  ): FramePolicy | undefined {
    if (typeof tabId !== 'number' || typeof frameId !== 'number') return undefined;
    const doc = documentUrl(url);
    const known = this.frames.get(`${tabId}:${frameId}`);
    return doc !== '' && known?.url === doc ? known : undefined;
  }

  /** Frames kept (tests). */
  get size(): number {
    return this.frames.size;
  }
}
