/**
 * Where the extension's share of the page's CPU goes, by the page's own CPU profile (CDP `Profiler`,
 * sampling every 50 µs) over one extra run of each set-up with the extension. The overhead ratios
 * compare separate browsers run after run, and their spread on this machine (10–20 %) is larger than
 * the targets; the profile instead names the code each sample was in, in the one browser:
 *
 * - a sample whose innermost JavaScript frame is the extension's (its URL is the extension's: the
 *   hook or the relay) counts as the extension's, with the native calls it makes (`postMessage`, a
 *   getter), but not the page's own native `send` that the hook's `send` wrapper calls on its behalf;
 * - every other sample that is not idle counts as the page's (or the browser's).
 *
 * The figure is the extension's time per message. The profiler's own cost makes every figure of the
 * profiled run larger; the share, not the absolute value, is what it tells.
 */
import type { Page } from 'puppeteer-core';
import type { EchoOptions, EchoWindow } from './echo-page';
import { SETTLE } from './measure-run';
import { CpuMeter } from './page-cpu';

/** The parts of a CDP `Profiler.Profile` read here. */
export interface CpuProfile {
  nodes: {
    id: number;
    parent?: number;
    children?: number[];
    callFrame: { functionName: string; url: string };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** What a profile says of one run. */
export interface Attribution {
  /** Extension µs per message. */
  extensionUs: number;
  /** Busy µs per message that are not the extension's. */
  otherUs: number;
  /** The extension's share of the busy samples. */
  share: number;
  /** Of the busy µs per message that are not the extension's, the garbage collector's (anyone's garbage). */
  gcUs: number;
  /** Where the extension's time went: the functions its samples were in, µs per message, the most first. */
  top: [name: string, us: number][];
}

// `(program)` (the renderer's native work outside any script) and `(garbage collector)` are busy time.
const IDLE = new Set(['(idle)', '(root)']);

/** Attributes the samples of `profile` (see the module comment); `isExtension` tells a script URL. */
export function attribute(
  profile: CpuProfile,
  messages: number,
  isExtension: (url: string) => boolean,
): Attribution {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) {
    if (n.parent !== undefined) parentOf.set(n.id, n.parent);
    for (const c of n.children ?? []) parentOf.set(c, n.id);
  }
  /** Per node: whether its sample time is the extension's (memoized). */
  const verdict = new Map<number, boolean>();
  const isExtensionNode = (id: number): boolean => {
    const known = verdict.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    let answer = false;
    const url = node.callFrame.url;
    if (url !== '') answer = isExtension(url);
    else {
      // A native (or the engine's): the innermost JavaScript frame above it decides, but the
      // native `send` the hook's `send` calls is the page's own work.
      const parent = parentOf.get(id);
      const above = parent !== undefined ? byId.get(parent) : undefined;
      const pageSend =
        node.callFrame.functionName === 'send' &&
        above?.callFrame.functionName === 'send' &&
        isExtension(above.callFrame.url);
      answer = !pageSend && parent !== undefined && isExtensionNode(parent);
    }
    verdict.set(id, answer);
    return answer;
  };
  const fn = (id: number) => byId.get(id)!.callFrame.functionName || '(anonymous)';
  /** A function's name; a native's with the script function that called it. */
  const nameOf = (id: number): string => {
    if (byId.get(id)!.callFrame.url !== '') return fn(id);
    const parent = parentOf.get(id);
    return parent !== undefined ? `${fn(id)} (native, in ${fn(parent)})` : `${fn(id)} (native)`;
  };
  let extension = 0;
  let other = 0;
  let gc = 0;
  const where = new Map<string, number>();
  // `timeDeltas[i]` is the time from sample i-1 to sample i: the time sample i stands for.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const node = byId.get(id);
    if (!node || IDLE.has(node.callFrame.functionName)) continue;
    const us = profile.timeDeltas[i] ?? 0;
    if (isExtensionNode(id)) {
      extension += us;
      const name = nameOf(id);
      where.set(name, (where.get(name) ?? 0) + us);
    } else {
      other += us;
      if (node.callFrame.functionName === '(garbage collector)') gc += us;
    }
  }
  const busy = extension + other;
  return {
    extensionUs: messages > 0 ? extension / messages : 0,
    otherUs: messages > 0 ? other / messages : 0,
    share: busy > 0 ? extension / busy : 0,
    gcUs: messages > 0 ? gc / messages : 0,
    top: [...where]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([name, us]) => [name, messages > 0 ? us / messages : 0]),
  };
}

/**
 * One profiled run on `page` (the echo page, freshly loaded), attributed. As in the measured runs,
 * the profile runs on until the page is quiet again: work the run left behind counts.
 */
export async function profileRun(
  page: Page,
  echo: EchoOptions,
  extensionOrigin: string,
): Promise<Attribution> {
  const cdp = await page.createCDPSession();
  const meter = await CpuMeter.open(page);
  try {
    const opened = await page.evaluate((o) => (window as unknown as EchoWindow).benchOpen(o), echo);
    if (!echo.plain && opened.handshakeStatus !== 101) throw new Error(`handshake ${opened.handshakeStatus}`);
    await meter.settle(SETTLE);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    const result = await page.evaluate(() => (window as unknown as EchoWindow).benchRun());
    await meter.settle(SETTLE);
    const { profile } = await cdp.send('Profiler.stop');
    return attribute(profile as unknown as CpuProfile, result.count, (url) =>
      url.startsWith(extensionOrigin),
    );
  } finally {
    await meter.close();
    await cdp.detach().catch(() => {});
  }
}
