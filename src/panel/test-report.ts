/**
 * Test builds only (`--test`): the panel tells the inspected page what it shows, so browser tests can
 * check the panel where it is not reachable by automation (Firefox's toolbox is not a WebDriver BiDi
 * context). The summary is read from the rendered list, not from the store: it is what a user sees.
 * It is written as JSON to the `data-khp-panel-report` attribute of the inspected page's root element
 * through `devtools.inspectedWindow.eval`. Real builds never load this module.
 */

/** One row of the connection list as rendered. */
export interface ReportedRow {
  url: string;
  status: string;
  outcome: string;
  extensions: string;
  frames: string;
  /** The 1-based hop within a redirect chain, or null outside chains. */
  hop: number | null;
  /** The row's tags (`replay`, `worker`, `network only`, `network disagrees`). */
  tags: string[];
}

/** What the panel shows, in a JSON-safe form. */
export interface PanelReport {
  /** The status bar's live indicator (`live`, `disconnected`), or '' when not shown. */
  connection: string;
  rows: ReportedRow[];
  /** Redirect chain groups: their path and hop count text. */
  chains: { path: string; hops: string }[];
  /** Bumped on every report, so a reader can tell a fresh report from an old one. */
  serial: number;
}

/** The root-element attribute of the inspected page that holds the latest report. */
export const REPORT_ATTRIBUTE = 'data-khp-panel-report';

/**
 * Reads the rendered connection list of `doc`. Self-contained (no outside references), so a test can
 * also run it inside a panel frame from its source text.
 */
export function summarizePanel(doc: Document, serial: number): PanelReport {
  const text = (root: Element, selector: string): string =>
    root.querySelector(selector)?.textContent?.trim() ?? '';
  const rows = Array.from(doc.querySelectorAll('[role=listbox] .conn-row[role=option]'), (row) => {
    const hopText = text(row, '.col-url .hop');
    const url = row.querySelector('.col-url')?.getAttribute('title') ?? '';
    return {
      url,
      status: text(row, '.col-status'),
      outcome: text(row, '.col-outcome .badge'),
      extensions: text(row, '.col-ext'),
      frames: text(row, '.col-frames'),
      hop: hopText ? Number(hopText) : null,
      tags: Array.from(row.querySelectorAll('.col-url .tag'), (t) => t.textContent?.trim() ?? ''),
    };
  });
  const chains = Array.from(doc.querySelectorAll('.chain-group'), (g) => ({
    path: text(g, '.chain-path'),
    hops: text(g, '.chain-count'),
  }));
  return { connection: text(doc.body, '.conn-state'), rows, chains, serial };
}

/**
 * Reports the panel's list to the inspected page whenever it changes, and again every `heartbeatMs`
 * (a navigation replaces the page's root element, and with it the last report). Returns a stop function.
 */
export function startTestReport(
  doc: Document,
  evalInPage: (code: string) => Promise<unknown>,
  heartbeatMs = 1000,
): () => void {
  let serial = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const post = () => {
    pending = undefined;
    const json = JSON.stringify(summarizePanel(doc, ++serial));
    const code = `document.documentElement.setAttribute(${JSON.stringify(REPORT_ATTRIBUTE)}, ${JSON.stringify(json)})`;
    void evalInPage(code);
  };
  const soon = () => {
    if (pending === undefined) pending = setTimeout(post, 50);
  };
  const observer = new MutationObserver(soon);
  observer.observe(doc.body, { subtree: true, childList: true, characterData: true, attributes: true });
  const heartbeat = setInterval(soon, heartbeatMs);
  soon();
  return () => {
    observer.disconnect();
    clearInterval(heartbeat);
    if (pending !== undefined) clearTimeout(pending);
  };
}
