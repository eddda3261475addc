/**
 * The page of `khp-inspect suite client` (`/suite/client.html?agent=NAME`): runs the project's KHP
 * client, on the browser's own WebSocket, through every case the suite serves, one after the other,
 * and shows the verdict the server gave each. Everything shown is set as text, never as HTML.
 */
import { playCase } from '../client/suite-play';
import type { WebSocketConstructor } from '../client/types';

interface CaseEntry {
  id: string;
  title: string;
  path: string;
}

interface CaseResultView {
  verdict: string;
  close: string | null;
}

const query = new URLSearchParams(location.search);
const agent = query.get('agent')?.trim() || 'browser';
const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
const stateEl = document.getElementById('state')!;
const rows = document.getElementById('cases') as HTMLTableSectionElement;
document.getElementById('agent')!.textContent = agent;

function cell(row: HTMLTableRowElement, text: string, verdict?: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = text;
  if (verdict !== undefined) td.dataset.verdict = verdict;
  return td;
}

function setState(state: string, text: string): void {
  document.body.dataset.state = state;
  stateEl.textContent = text;
}

async function run(): Promise<void> {
  const { cases } = (await (await fetch('/suite/cases.json')).json()) as { cases: CaseEntry[] };
  let done = 0;
  for (const c of cases) {
    setState('running', `Case ${c.id} (${done + 1} of ${cases.length})…`);
    const row = rows.insertRow();
    row.dataset.case = c.id;
    cell(row, c.id);
    cell(row, c.title);
    const url = `${wsBase}${c.path}?agent=${encodeURIComponent(agent)}`;
    const played = await playCase(url, globalThis.WebSocket as unknown as WebSocketConstructor);
    cell(row, played.outcome === 'completed' ? 'completed' : `failed: ${played.outcome}`);
    const answer = await fetch(
      `/suite/result?agent=${encodeURIComponent(agent)}&case=${encodeURIComponent(c.id)}`,
    );
    const result = answer.ok ? ((await answer.json()) as CaseResultView) : null;
    cell(row, result?.verdict ?? 'no result', result?.verdict ?? '');
    cell(row, result?.close ?? '', result?.close ?? '');
    done++;
  }
  setState('done', `Done: ${done} cases. The reports are written by khp-inspect.`);
}

run().catch((err: unknown) => setState('failed', `The page failed: ${String(err)}`));
