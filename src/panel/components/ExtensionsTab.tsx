import type { Connection, Extension } from '../../protocol/model';
import { parseExtensionsHeader } from '../../protocol/extensions';
import { networkHeader } from '../../protocol/network-witness';
import { spacedHex } from '../store/summary';
import { FromNetwork } from './NetworkOpening';

function paramText(e: Extension): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.params)) {
    if (e.controlPrefix && k.toLowerCase() === e.controlPrefix.toLowerCase()) continue;
    if (k === 'timeout' && typeof v === 'number') parts.push(`idle timeout ${v} ms`);
    else parts.push(v === true ? k : `${k}=${v}`);
  }
  if (e.controlPrefix) parts.push(`control prefix ${spacedHex(e.controlPrefix)}`);
  return parts.join('; ');
}

function ExtensionTable({
  title,
  list,
  empty,
  network,
}: {
  title: string;
  list: Extension[];
  empty: string;
  /** The list comes from the network's headers. */
  network?: boolean;
}) {
  return (
    <section class="ext-section">
      <h2>
        {title}
        {network && ' '}
        {network && <FromNetwork />}
      </h2>
      {list.length === 0 ? (
        <div class="note">{empty}</div>
      ) : (
        <table class="ext-table" aria-label={title}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Parameters</th>
              <th scope="col">As written</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e, i) => (
              <tr key={i}>
                <th scope="row">{e.name}</th>
                <td>{paramText(e) || '—'}</td>
                <td>
                  <code>{e.raw}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The checks the spec asks of granted extensions, computed from the lists shown. */
export function extensionChecks(c: Connection): { id: string; ok: boolean; text: string }[] {
  const requested = new Set(c.requestedExtensions.map((e) => e.name.toLowerCase()));
  const granted = c.extensions.map((e) => e.name.toLowerCase());
  const notRequested = granted.filter((n) => !requested.has(n));
  const dupes = granted.filter((n, i) => granted.indexOf(n) !== i);
  const opening = new Set(c.openingExtensions.map((e) => e.name.toLowerCase()));
  const both = [...requested, ...granted].filter((n, i, a) => opening.has(n) && a.indexOf(n) === i);
  return [
    {
      id: 'subset',
      ok: notRequested.length === 0,
      text:
        notRequested.length === 0
          ? 'Granted extensions are a subset of those requested.'
          : `Granted but never requested: ${notRequested.join(', ')}. The spec: the extensions selected by the server must be chosen from those requested, "and no others"; the client must close.`,
    },
    {
      id: 'duplicate',
      ok: dupes.length === 0,
      text:
        dupes.length === 0
          ? 'No extension granted twice.'
          : `Granted more than once: ${[...new Set(dupes)].join(', ')}.`,
    },
    {
      id: 'renegotiated',
      ok: both.length === 0,
      text:
        both.length === 0
          ? 'No extension negotiated in both the opening and the extended handshake.'
          : `Also negotiated in the opening handshake: ${both.join(', ')}. The spec: the server must detect that and respond in error.`,
    },
  ];
}

/** Extensions at each stage of the handshake, their parameters, and the subset/duplicate checks. */
export function ExtensionsTab({ connection: c }: { connection: Connection }) {
  const extFindings = c.findings.filter((f) => f.rule.startsWith('ext'));
  return (
    <div class="extensions">
      {c.opening ? (
        <ExtensionTable
          title="Requested in the opening handshake"
          list={parseExtensionsHeader(
            networkHeader(c.opening.requestHeaders, 'sec-websocket-extensions') ?? '',
          )}
          empty="None (no Sec-WebSocket-Extensions header)."
          network
        />
      ) : (
        <section class="ext-section">
          <h2>Opening handshake</h2>
          <div class="note">
            Requested: chosen by the browser, not visible to the page (usually permessage-deflate). Open
            DevTools before the page opens the socket to see the real headers.
          </div>
        </section>
      )}
      <ExtensionTable
        title="Granted in the opening handshake"
        list={c.openingExtensions}
        empty="None."
        network={c.opening !== undefined}
      />
      <ExtensionTable
        title="Requested in the extended request"
        list={c.requestedExtensions}
        empty={c.khp ? 'None requested.' : 'No extended handshake (not KHP).'}
      />
      <ExtensionTable
        title="Granted in the extended response"
        list={c.extensions}
        empty={c.outcome === 'open' ? 'None granted.' : 'None (the handshake did not complete).'}
      />
      {c.khp && (
        <section class="ext-section">
          <h2>Checks</h2>
          <ul class="checks">
            {extensionChecks(c).map((k) => (
              <li key={k.id} class={k.ok ? 'ok' : 'fail'}>
                <span aria-hidden="true">{k.ok ? '✓ ' : '✗ '}</span>
                <span class="sr-only">{k.ok ? 'passed: ' : 'failed: '}</span>
                {k.text}
              </li>
            ))}
            {extFindings.map((f, i) => (
              <li key={`f${i}`} class={f.severity === 'error' ? 'fail' : 'warn'}>
                [{f.rule}] {f.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
