import { useEffect, useMemo, useRef } from 'preact/hooks';
import { previewDraft } from '../../replay/command';
import { validateDraft } from '../../replay/validate';
import { usePanel, useSnapshot } from '../store/context';
import { useReplayStore, useReplayView } from '../store/replay-context';
import { replayHops } from '../store/replay-store';
import '../styles/replay.css';
import { ReplayConfirm } from './ReplayConfirm';
import { ReplayEditor } from './ReplayEditor';
import { ReplayResults } from './ReplayResults';

/** The replay dialog over the panel: editor, confirm step, then the results and comparison. */
export function ReplayLayer({ onOpen }: { onOpen(id: string): void }) {
  const { store } = usePanel();
  const snap = useSnapshot(store);
  const replay = useReplayStore();
  const view = useReplayView(replay);
  const dialog = useRef<HTMLDivElement>(null);
  const step = view.step;
  useEffect(() => {
    if (step === 'edit') dialog.current?.querySelector<HTMLElement>('input, textarea, button')?.focus();
  }, [step]);
  const hops = useMemo(
    () =>
      view.step === 'sent' && snap.source.kind === 'live'
        ? replayHops(view.session, replay.laterStart(view.session), snap.connections)
        : [],
    [view, snap.version],
  );
  if (view.step === 'closed') return null;
  const title =
    view.step === 'edit' ? 'Edit and replay' : view.step === 'confirm' ? 'Confirm the replay' : 'Replay';
  const preview = view.step === 'confirm' ? previewDraft(view.draft) : null;
  const send = async () => {
    // The replay's sockets are captured live: show the live capture when replaying from a file.
    if (store.getSnapshot().source.kind === 'imported') store.showLive();
    await replay.send();
  };
  return (
    <div class="replay-overlay">
      <div
        class="replay-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="replay-title"
        ref={dialog}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          replay.close();
        }}
      >
        <h2 id="replay-title">{title}</h2>
        {view.step === 'edit' && (
          <ReplayEditor
            draft={view.draft}
            issues={view.issues}
            onChange={(d) => replay.edit(d)}
            onReview={() => replay.review()}
            onCancel={() => replay.close()}
          />
        )}
        {view.step === 'confirm' && preview && (
          <ReplayConfirm
            preview={preview}
            capturePage={view.draft.pageUrl}
            inspectedPage={replay.inspectedUrl}
            fromImport={view.fromImport}
            warnings={validateDraft(view.draft)}
            onSend={() => void send()}
            onEdit={() => replay.back()}
            onCancel={() => replay.close()}
          />
        )}
        {view.step === 'sent' && (
          <ReplayResults
            session={view.session}
            hops={hops}
            onOpen={(id) => {
              replay.close();
              onOpen(id);
            }}
            onClose={() => replay.close()}
          />
        )}
      </div>
    </div>
  );
}
