import { useState } from 'preact/hooks';
import { switchMode } from '../../replay/draft';
import { MAX_REPLAY_REDIRECTS, type ReplayDraft, type ReplayOptions } from '../../replay/types';
import { validateDraft } from '../../replay/validate';
import { ReplayAuthFields } from './ReplayAuthFields';
import { ReplayHeadersTable } from './ReplayHeadersTable';
import { ReplayIssues } from './ReplayIssues';

interface Props {
  draft: ReplayDraft;
  /** Problems found when the user asked to review (shown even before any edit). */
  issues: ReturnType<typeof validateDraft>;
  /** Receives an update of the latest draft (edits made before a re-render compose). */
  onChange(update: (draft: ReplayDraft) => ReplayDraft): void;
  onReview(): void;
  onCancel(): void;
}

const splitProtocols = (text: string) =>
  text
    .split(',')
    .map((p) => p.trim())
    .filter((p, i, all) => p !== '' || i < all.length - 1);

/** "Edit and replay": URL, protocols, the extended request (table or raw) and the replay's options. */
export function ReplayEditor({ draft, issues, onChange, onReview, onCancel }: Props) {
  const [protocolText, setProtocolText] = useState(draft.protocols.join(', '));
  const [modeError, setModeError] = useState<string | null>(null);
  const live = validateDraft(draft);
  const shown = live.length ? live : issues;
  const o = draft.options;
  const set = (patch: Partial<ReplayDraft>) => onChange((d) => ({ ...d, ...patch }));
  const setOptions = (patch: Partial<ReplayOptions>) =>
    onChange((d) => ({ ...d, options: { ...d.options, ...patch } }));
  const checked = (e: Event) => (e.currentTarget as HTMLInputElement).checked;
  const toMode = (mode: 'table' | 'raw') =>
    onChange((d) => {
      const next = switchMode(d, mode);
      setModeError(
        next.mode === mode
          ? null
          : 'The raw text is not a valid request yet: fix it before switching to the table.',
      );
      return next;
    });
  return (
    <form
      class="replay-editor"
      onSubmit={(e) => {
        e.preventDefault();
        onReview();
      }}
    >
      <fieldset>
        <legend>Opening handshake</legend>
        <label class="replay-field">
          URL
          <input
            aria-label="URL"
            value={draft.url}
            spellcheck={false}
            onInput={(e) => set({ url: (e.currentTarget as HTMLInputElement).value })}
          />
        </label>
        <label class="replay-field">
          Protocols
          <input
            aria-label="Protocols"
            value={protocolText}
            spellcheck={false}
            title="Comma-separated; must include x-kaazing-handshake"
            onInput={(e) => {
              const text = (e.currentTarget as HTMLInputElement).value;
              setProtocolText(text);
              set({ protocols: splitProtocols(text) });
            }}
          />
        </label>
      </fieldset>
      <fieldset>
        <legend>Extended request</legend>
        <div class="replay-mode" role="group" aria-label="Request view">
          <button
            type="button"
            class="tool-button"
            aria-pressed={draft.mode === 'table'}
            onClick={() => toMode('table')}
          >
            Table
          </button>
          <button
            type="button"
            class="tool-button"
            aria-pressed={draft.mode === 'raw'}
            onClick={() => toMode('raw')}
          >
            Raw
          </button>
          <label>
            <input type="checkbox" checked={draft.binary} onChange={(e) => set({ binary: checked(e) })} />
            send as binary
          </label>
        </div>
        {modeError && <p class="replay-issue error">{modeError}</p>}
        {draft.mode === 'table' ? (
          <ReplayHeadersTable
            parts={draft.parts}
            onChange={(u) => onChange((d) => ({ ...d, parts: u(d.parts) }))}
          />
        ) : (
          <textarea
            aria-label="Raw request"
            class="replay-raw"
            rows={8}
            spellcheck={false}
            value={draft.raw}
            onInput={(e) => set({ raw: (e.currentTarget as HTMLTextAreaElement).value })}
          />
        )}
      </fieldset>
      <fieldset class="replay-options">
        <legend>Options</legend>
        <label>
          <input
            type="checkbox"
            checked={o.followRedirects}
            onChange={(e) => setOptions({ followRedirects: checked(e) })}
          />
          follow 3xx redirects, at most
          <input
            aria-label="Maximum redirects"
            type="number"
            min={0}
            max={MAX_REPLAY_REDIRECTS}
            value={o.maxRedirects}
            disabled={!o.followRedirects}
            onInput={(e) => setOptions({ maxRedirects: Number((e.currentTarget as HTMLInputElement).value) })}
          />
        </label>
        <div>
          answer 401 with{' '}
          <ReplayAuthFields
            value={o.answer401}
            onChange={(u) =>
              onChange((d) => ({ ...d, options: { ...d.options, answer401: u(d.options.answer401) } }))
            }
            label="401 answer"
          />
        </div>
        <label>
          <input
            type="checkbox"
            checked={o.answerPings}
            onChange={(e) => setOptions({ answerPings: checked(e) })}
          />
          answer extended pings
        </label>
        <label>
          <input
            type="checkbox"
            checked={o.keepOpen}
            onChange={(e) => setOptions({ keepOpen: checked(e) })}
          />
          keep the socket open after the handshake (else close it)
        </label>
        <label>
          <input
            type="checkbox"
            checked={o.keepCapturedCredentials}
            onChange={(e) => setOptions({ keepCapturedCredentials: checked(e) })}
          />
          keep captured credentials
        </label>
        {draft.capturedCredentials.length > 0 && (
          <p class="note">
            Captured credentials {o.keepCapturedCredentials ? 'will be sent' : 'removed'}:{' '}
            {draft.capturedCredentials.map(([n]) => n).join(', ')}
          </p>
        )}
      </fieldset>
      <ReplayIssues issues={shown} />
      <div class="replay-buttons">
        <button type="button" class="tool-button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          class="tool-button primary"
          disabled={shown.some((i) => i.severity === 'error')}
        >
          Review…
        </button>
      </div>
    </form>
  );
}
