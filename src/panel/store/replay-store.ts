/**
 * The replay's state in the panel: which step the replay dialog is at (edit, confirm, sent), the
 * draft, and the replays sent so far. Sending evaluates the page runner in the inspected page through
 * the host (`evalInPage`); only a user's click on "Send" gets there.
 */
import type { CapturedSocket } from '../../protocol/capture';
import type { Chain, Connection } from '../../protocol/model';
import { buildCommand, type ReplayPreview } from '../../replay/command';
import { draftFromConnection } from '../../replay/draft';
import { runnerExpression } from '../../replay/page-runner';
import type { Issue, ReplayDraft, RunnerAck } from '../../replay/types';
import type { PanelHost } from '../transport';

/** A replay that was sent. */
export interface ReplaySession {
  id: number;
  /** The socket replayed and the hops that followed it in its chain, as they were when the replay started. */
  originalHops: Connection[];
  originalId: string;
  preview: ReplayPreview;
  /** Epoch ms when the user sent it. */
  startedAt: number;
  status: 'starting' | 'started' | 'failed';
  error?: string;
  /** The original came from an imported file, not the live capture. */
  fromImport: boolean;
}

/** What the dialog shows. */
export type ReplayView =
  | { step: 'closed' }
  | {
      step: 'edit' | 'confirm';
      draft: ReplayDraft;
      originalHops: Connection[];
      fromImport: boolean;
      issues: Issue[];
    }
  | { step: 'sent'; session: ReplaySession };

/** The hops of `original`'s chain from `original` on (just `original` when it is in no chain). */
export function hopsFrom(
  original: Connection,
  chains: readonly Chain[],
  byId: Map<string, Connection>,
): Connection[] {
  const chain = chains.find((ch) => ch.connections.includes(original.id));
  if (!chain) return [original];
  const ids = chain.connections.slice(chain.connections.indexOf(original.id));
  return ids.map((id) => byId.get(id)).filter((c): c is Connection => c !== undefined);
}

/**
 * The replay's sockets in `connections`: those marked as replays of the session's original, created
 * after it was sent (and before a later replay of the same socket), in creation order.
 */
export function replayHops(
  session: ReplaySession,
  later: number | null,
  connections: readonly Connection[],
): Connection[] {
  // Both clocks are the machine's wall clock (panel and page); a little room for timer coarsening.
  const slack = 50;
  return connections
    .filter(
      (c) =>
        c.replayOf === session.originalId &&
        c.startedAt >= session.startedAt - slack &&
        (later === null || c.startedAt < later),
    )
    .sort((a, b) => a.startedAt - b.startedAt);
}

export class ReplayStore {
  private view: ReplayView = { step: 'closed' };
  private sessionList: ReplaySession[] = [];
  private listeners = new Set<() => void>();
  private nextId = 1;
  /** The inspected page's URL, once asked (null: unknown). */
  inspectedUrl: string | null = null;

  constructor(
    private readonly host: PanelHost,
    private readonly now: () => number = Date.now,
  ) {}

  getView = (): ReplayView => this.view;

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  /** True when replays can run here (an inspected page to evaluate in). */
  get available(): boolean {
    return typeof this.host.evalInPage === 'function';
  }

  /** Sessions sent so far, oldest first. */
  sessions(): readonly ReplaySession[] {
    return this.sessionList;
  }

  /** The start time of the next replay of the same socket after `session`, or null. */
  laterStart(session: ReplaySession): number | null {
    const next = this.sessionList.find((s) => s.id > session.id && s.originalId === session.originalId);
    return next ? next.startedAt : null;
  }

  /** Opens the dialog for `original`: `confirm` for a plain replay, `edit` for "Edit and replay". */
  open(
    original: Connection,
    socket: CapturedSocket | undefined,
    hops: Connection[],
    step: 'edit' | 'confirm',
    fromImport: boolean,
  ): void {
    const draft = draftFromConnection(original, socket);
    this.view = { step, draft, originalHops: hops.length ? hops : [original], fromImport, issues: [] };
    // A plain replay goes straight to the confirm step, unless the captured request has errors.
    if (step === 'confirm') this.review();
    else this.emit();
    void this.refreshInspectedUrl();
  }

  /** Updates the draft being edited (`update` gets the latest draft, so quick edits compose). */
  edit(update: (draft: ReplayDraft) => ReplayDraft): void {
    if (this.view.step !== 'edit' && this.view.step !== 'confirm') return;
    this.view = { ...this.view, draft: update(this.view.draft), issues: [] };
    this.emit();
  }

  /** From the editor to the confirm step, unless the draft has errors (then they are shown). */
  review(): boolean {
    if (this.view.step !== 'edit' && this.view.step !== 'confirm') return false;
    const built = buildCommand(this.view.draft);
    if (!built.ok) {
      this.view = { ...this.view, step: 'edit', issues: built.issues };
      this.emit();
      return false;
    }
    this.view = { ...this.view, step: 'confirm', issues: [] };
    this.emit();
    return true;
  }

  /** Back from the confirm step to the editor. */
  back(): void {
    if (this.view.step !== 'confirm') return;
    this.view = { ...this.view, step: 'edit' };
    this.emit();
  }

  close(): void {
    this.view = { step: 'closed' };
    this.emit();
  }

  /** Shows the comparison of an earlier replay. */
  show(session: ReplaySession): void {
    this.view = { step: 'sent', session };
    this.emit();
  }

  /** Sends the confirmed draft: evaluates the page runner in the inspected page. */
  async send(): Promise<ReplaySession | null> {
    const view = this.view;
    if (view.step !== 'confirm') return null;
    const built = buildCommand(view.draft);
    if (!built.ok) {
      this.view = { ...view, step: 'edit', issues: built.issues };
      this.emit();
      return null;
    }
    const session: ReplaySession = {
      id: this.nextId++,
      originalHops: view.originalHops,
      originalId: view.draft.replayOf,
      preview: built.preview,
      startedAt: this.now(),
      status: 'starting',
      fromImport: view.fromImport,
    };
    this.sessionList.push(session);
    this.view = { step: 'sent', session };
    this.emit();
    const result = this.host.evalInPage
      ? await this.host.evalInPage(runnerExpression(built.command))
      : { ok: false as const, error: 'Replay needs the panel inside DevTools (an inspected page).' };
    const ack = result.ok
      ? (result.value as RunnerAck | undefined)
      : { ok: false as const, error: result.error };
    session.status = ack && ack.ok ? 'started' : 'failed';
    if (!ack || !ack.ok) session.error = ack?.error ?? 'the page did not acknowledge the replay';
    if (this.view.step === 'sent' && this.view.session.id === session.id)
      this.view = { step: 'sent', session: { ...session } };
    this.emit();
    return session;
  }

  /** Asks the inspected page for its URL (for the note when it differs from the capture's page). */
  async refreshInspectedUrl(): Promise<void> {
    if (!this.host.evalInPage) return;
    const result = await this.host.evalInPage('location.href');
    const url = result.ok && typeof result.value === 'string' ? result.value : null;
    if (url !== this.inspectedUrl) {
      this.inspectedUrl = url;
      this.emit();
    }
  }

  private emit(): void {
    for (const cb of [...this.listeners]) cb();
  }
}

/** The origin of a URL, or null. */
export function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
