/**
 * Reading the live panel in the browser tests: the rendered list of a panel frame (Chromium's real
 * DevTools), the report a test-build panel leaves on the inspected page (Firefox's toolbox, which
 * automation cannot reach), and the socket detail (handshake timeline, status meaning, frames).
 * Every wait polls a condition until a deadline; nothing sleeps for a fixed time.
 */
import type { Frame, Page } from 'puppeteer-core';
import {
  REPORT_ATTRIBUTE,
  summarizePanel,
  type PanelReport,
  type ReportedRow,
} from '../../../src/panel/test-report';

export type { PanelReport, ReportedRow };

/** Generous: the test machine runs several browsers at once. */
const DEFAULT_WAIT = 45_000;

/** Polls `read` until `done` holds; fails after `timeoutMs` showing the last value read. */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = DEFAULT_WAIT,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > end)
      throw new Error(`${what} never happened; last: ${JSON.stringify(last)?.slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The path and query of a socket URL without the `.kl=Y` marker (`/echo?timeout=10000`). */
export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.delete('.kl');
    const q = u.searchParams.toString();
    return `${u.pathname}${q ? `?${q}` : ''}`;
  } catch {
    return url;
  }
}

/** The rows (and chain groups) a panel frame renders now. */
export function readPanelFrame(panel: Frame): Promise<PanelReport> {
  // The panel's own summarizer, run from its source text inside the panel frame.
  return panel.evaluate(`(${summarizePanel.toString()})(document, 0)`) as Promise<PanelReport>;
}

/** Waits until the panel frame's list satisfies `done`. */
export function waitForPanelFrame(
  panel: Frame,
  done: (r: PanelReport) => boolean,
  timeoutMs = DEFAULT_WAIT,
): Promise<PanelReport> {
  return pollUntil('the expected panel list', () => readPanelFrame(panel), done, timeoutMs);
}

/** The last report a test-build panel wrote on the inspected page, or null. */
export async function readPanelReport(page: Page): Promise<PanelReport | null> {
  const json = await page.evaluate((name) => document.documentElement.getAttribute(name), REPORT_ATTRIBUTE);
  return json ? (JSON.parse(json) as PanelReport) : null;
}

/** Waits until the panel's report on `page` satisfies `done`. */
export async function waitForPanelReport(
  page: Page,
  done: (r: PanelReport) => boolean,
  timeoutMs = DEFAULT_WAIT,
): Promise<PanelReport> {
  const r = await pollUntil(
    'the expected panel report',
    () => readPanelReport(page),
    (r) => !!r && done(r),
    timeoutMs,
  );
  return r!;
}

/** The rows whose socket path (without `.kl=Y`) is `path`. */
export function rowsFor(report: PanelReport, path: string): ReportedRow[] {
  return report.rows.filter((r) => pathOf(r.url) === path);
}

/** True when the row for `path` shows `status` and the outcome `outcome` (the last such row). */
export function hasRow(report: PanelReport, path: string, status: string, outcome: string): boolean {
  const row = rowsFor(report, path).at(-1);
  return row?.status === status && row.outcome === outcome;
}

/** Opens the detail of the last row whose path is `path` (a click, as a user would). */
export async function openDetail(panel: Frame, path: string): Promise<void> {
  const rows = await panel.$$('[role=listbox] .conn-row[role=option]');
  let target = null;
  for (const row of rows) {
    const url = await row.evaluate((el) => el.querySelector('.col-url')?.getAttribute('title') ?? '');
    if (pathOf(url) === path) target = row;
  }
  if (!target) throw new Error(`no row for ${path}`);
  await target.evaluate((el) => (el as HTMLElement).click());
  await panel.waitForFunction(
    (p) => {
      const head = document.querySelector('.detail .detail-url')?.textContent ?? '';
      return head.includes(p);
    },
    { timeout: DEFAULT_WAIT },
    path.split('?')[0]!,
  );
}

/** Selects a tab of the open detail (`handshake`, `messages`, ...). */
export async function selectDetailTab(panel: Frame, id: string): Promise<void> {
  await panel.$eval(`#detail-tab-${id}`, (el) => (el as HTMLElement).click());
  await panel.waitForSelector(`#detail-tab-${id}[aria-selected=true]`, { timeout: DEFAULT_WAIT });
}

/** What the open detail's Handshake tab shows: timeline labels, the status meaning and the spec quote. */
export function readHandshake(panel: Frame): Promise<{
  steps: string[];
  current: string;
  meaning: string;
  action: string;
  quote: string;
  firstLine: string;
}> {
  return panel.evaluate(() => {
    const t = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    const d = document.querySelector('.detail');
    return {
      steps: Array.from(d?.querySelectorAll('.waterfall .wf-label') ?? [], (el) => t(el)),
      current: t(d?.querySelector('.waterfall [aria-current=step] .wf-label')),
      meaning: t(d?.querySelector('.status-meaning strong')),
      action: t(d?.querySelector('.status-meaning .badge')),
      quote: t(d?.querySelector('.status-meaning .spec-quote')),
      firstLine: t(d?.querySelector('.http-first-line code')),
    };
  });
}

/** One row of the open detail's Messages tab. */
export interface FrameRowView {
  dir: string;
  type: string;
  role: string;
  data: string;
}

/** The frame rows the open detail's Messages tab renders. */
export function readFrameRows(panel: Frame): Promise<FrameRowView[]> {
  return panel.evaluate(() =>
    Array.from(document.querySelectorAll('.detail .frame-row'), (row) => ({
      dir: row.querySelector('.fr-dir')?.getAttribute('title') ?? '',
      type: row.querySelector('.fr-type')?.textContent ?? '',
      role: row.querySelector('.fr-role')?.textContent ?? '',
      data: row.querySelector('.fr-data')?.textContent ?? '',
    })),
  );
}
