import { useState } from 'preact/hooks';
import type { Header } from '../../protocol/model';
import { authorizationOf, credentialIssues } from '../../replay/auth';
import { setHeader } from '../../replay/draft';
import { KNOWN_EXTENSIONS, requestedExtensions, withExtension } from '../../replay/extensions-edit';
import type { CredentialInput, RequestParts } from '../../replay/types';
import { ReplayAuthFields } from './ReplayAuthFields';

interface Props {
  parts: RequestParts;
  /** Receives an update of the latest parts (edits made before a re-render compose). */
  onChange(update: (parts: RequestParts) => RequestParts): void;
}

const val = (e: Event) => (e.currentTarget as HTMLInputElement).value;

/** The extended request as a table: request line, editable headers, known extensions, Authorization helper. */
export function ReplayHeadersTable({ parts, onChange }: Props) {
  const [auth, setAuth] = useState<CredentialInput>({ scheme: 'Basic', user: '', password: '' });
  const setHeaders = (update: (headers: Header[]) => Header[]) =>
    onChange((p) => ({ ...p, headers: update(p.headers) }));
  const setCell = (i: number, k: 0 | 1, v: string) =>
    setHeaders((hs) => hs.map((x, j): Header => (j !== i ? x : k === 0 ? [v, x[1]] : [x[0], v])));
  const requested = requestedExtensions(parts.headers).map((n) => n.toLowerCase());
  const authProblems = credentialIssues(auth);
  return (
    <div class="replay-table">
      <div class="replay-line">
        <input
          aria-label="Method"
          size={6}
          value={parts.method}
          onInput={(e) => {
            const v = val(e);
            onChange((p) => ({ ...p, method: v }));
          }}
        />
        <input
          aria-label="Target"
          value={parts.target}
          onInput={(e) => {
            const v = val(e);
            onChange((p) => ({ ...p, target: v }));
          }}
        />
        <input
          aria-label="Version"
          size={8}
          value={parts.version}
          onInput={(e) => {
            const v = val(e);
            onChange((p) => ({ ...p, version: v }));
          }}
        />
      </div>
      <table class="replay-headers">
        <thead>
          <tr>
            <th scope="col">Header</th>
            <th scope="col">Value</th>
            <th scope="col">
              <span class="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {parts.headers.map(([name, value], i) => (
            <tr key={i}>
              <td>
                <input
                  aria-label={`Header ${i + 1} name`}
                  value={name}
                  onInput={(e) => setCell(i, 0, val(e))}
                />
              </td>
              <td>
                <input
                  aria-label={`Header ${i + 1} value`}
                  value={value}
                  onInput={(e) => setCell(i, 1, val(e))}
                />
              </td>
              <td>
                <button
                  type="button"
                  class="tool-button"
                  aria-label={`Remove header ${name || i + 1}`}
                  onClick={() => setHeaders((hs) => hs.filter((_, j) => j !== i))}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="tool-button" onClick={() => setHeaders((hs) => [...hs, ['', '']])}>
        + Add header
      </button>
      <fieldset class="replay-extensions">
        <legend>Extensions requested</legend>
        {KNOWN_EXTENSIONS.map((x) => (
          <label key={x.name} title={x.summary}>
            <input
              type="checkbox"
              checked={requested.includes(x.name)}
              onChange={(e) => {
                const on = (e.currentTarget as HTMLInputElement).checked;
                setHeaders((hs) => withExtension(hs, x.name, on));
              }}
            />
            {x.name}
          </label>
        ))}
      </fieldset>
      <fieldset class="replay-authorization">
        <legend>Authorization header</legend>
        <ReplayAuthFields value={auth} onChange={setAuth} label="Authorization" allowNone={false} />
        <button
          type="button"
          class="tool-button"
          disabled={authProblems.length > 0}
          title={authProblems[0]?.message ?? 'Add or replace the Authorization header'}
          onClick={() => {
            const value = authorizationOf(auth);
            if (value !== null) setHeaders((hs) => setHeader(hs, 'Authorization', value));
          }}
        >
          Set Authorization
        </button>
      </fieldset>
    </div>
  );
}
