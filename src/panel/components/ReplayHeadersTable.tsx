import { useState } from 'preact/hooks';
import type { Header } from '../../protocol/model';
import { authorizationOf, credentialIssues } from '../../replay/auth';
import { setHeader } from '../../replay/draft';
import { KNOWN_EXTENSIONS, requestedExtensions, withExtension } from '../../replay/extensions-edit';
import type { CredentialInput, RequestParts } from '../../replay/types';
import { ReplayAuthFields } from './ReplayAuthFields';

interface Props {
  parts: RequestParts;
  onChange(parts: RequestParts): void;
}

const val = (e: Event) => (e.currentTarget as HTMLInputElement).value;

/** The extended request as a table: request line, editable headers, known extensions, Authorization helper. */
export function ReplayHeadersTable({ parts, onChange }: Props) {
  const [auth, setAuth] = useState<CredentialInput>({ scheme: 'Basic', user: '', password: '' });
  const setHeaders = (headers: Header[]) => onChange({ ...parts, headers });
  const setRow = (i: number, h: Header) => setHeaders(parts.headers.map((x, j) => (j === i ? h : x)));
  const requested = requestedExtensions(parts.headers).map((n) => n.toLowerCase());
  const authProblems = credentialIssues(auth);
  return (
    <div class="replay-table">
      <div class="replay-line">
        <input
          aria-label="Method"
          size={6}
          value={parts.method}
          onInput={(e) => onChange({ ...parts, method: val(e) })}
        />
        <input
          aria-label="Target"
          value={parts.target}
          onInput={(e) => onChange({ ...parts, target: val(e) })}
        />
        <input
          aria-label="Version"
          size={8}
          value={parts.version}
          onInput={(e) => onChange({ ...parts, version: val(e) })}
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
                  onInput={(e) => setRow(i, [val(e), value])}
                />
              </td>
              <td>
                <input
                  aria-label={`Header ${i + 1} value`}
                  value={value}
                  onInput={(e) => setRow(i, [name, val(e)])}
                />
              </td>
              <td>
                <button
                  type="button"
                  class="tool-button"
                  aria-label={`Remove header ${name || i + 1}`}
                  onClick={() => setHeaders(parts.headers.filter((_, j) => j !== i))}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="tool-button" onClick={() => setHeaders([...parts.headers, ['', '']])}>
        + Add header
      </button>
      <fieldset class="replay-extensions">
        <legend>Extensions requested</legend>
        {KNOWN_EXTENSIONS.map((x) => (
          <label key={x.name} title={x.summary}>
            <input
              type="checkbox"
              checked={requested.includes(x.name)}
              onChange={(e) =>
                setHeaders(
                  withExtension(parts.headers, x.name, (e.currentTarget as HTMLInputElement).checked),
                )
              }
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
          onClick={() => setHeaders(setHeader(parts.headers, 'Authorization', authorizationOf(auth)!))}
        >
          Set Authorization
        </button>
      </fieldset>
    </div>
  );
}
