import type { Chain, Connection } from '../../protocol/model';
import { formatDuration, formatOffset, shortPath, statusPath } from '../store/summary';
import { OutcomeBadge } from './OutcomeBadge';

interface Props {
  connection: Connection;
  chain: Chain | undefined;
  byId: Map<string, Connection>;
  onOpen(id: string): void;
}

function locationOf(c: Connection): string {
  const last = [...c.rounds].reverse().find((r) => r.response)?.response;
  const loc = last?.headers.find(([n]) => n.toLowerCase() === 'location')?.[1];
  if (loc) return loc;
  if (c.redirectKind === 'balancer' && c.redirectTo) return `${c.redirectTo} (balancer)`;
  return '—';
}

/** A URL with line-break opportunities after its slashes, so a narrow column wraps it between segments. */
function breakable(url: string) {
  return url.split(/(?<=\/)(?!\/)/).map((part, i) => (i === 0 ? part : [<wbr key={i} />, part]));
}

/** The redirect chain this socket belongs to: each hop's status, Location and timing. */
export function RedirectsTab({ connection, chain, byId, onOpen }: Props) {
  const hops = (chain?.connections ?? [connection.id])
    .map((id) => byId.get(id))
    .filter((c): c is Connection => !!c);
  if (hops.length <= 1 && !connection.redirectTo) {
    return <div class="note">This socket was not redirected and no redirect led to it.</div>;
  }
  const start = hops[0]?.startedAt ?? connection.startedAt;
  const redirects = hops.length - 1;
  return (
    <div class="redirects">
      {chain?.loop && (
        <div class="banner error" role="alert">
          Redirect loop: a Location points back to a hop already visited. The spec: the client is responsible
          for detecting redirect loops and avoiding reconnection attempts.
        </div>
      )}
      {(redirects > 5 || chain?.outcome === 'too-many-redirects') && (
        <div class="banner error" role="alert">
          {redirects} redirects: more than five. The spec: a user agent should not automatically redirect more
          than five times.
        </div>
      )}
      <table class="hops" aria-label="Redirect hops">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">URL</th>
            <th scope="col">Status</th>
            <th scope="col">Location</th>
            <th scope="col">Start</th>
            <th scope="col">Duration</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {hops.map((c, i) => (
            <tr key={c.id} class={c.id === connection.id ? 'current' : undefined}>
              <td>{i + 1}</td>
              <td>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => onOpen(c.id)}
                  title={`Show this hop: ${c.url}`}
                >
                  {shortPath(c.url, true)}
                </button>
              </td>
              <td>{statusPath(c) || '—'}</td>
              <td>{breakable(locationOf(c))}</td>
              <td>{formatOffset(c.startedAt - start)}</td>
              <td>{formatDuration(c.endedAt - c.startedAt)}</td>
              <td>
                <OutcomeBadge outcome={c.outcome} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {chain && chain.findings.length > 0 && (
        <ul class="findings-mini">
          {chain.findings.map((f, i) => (
            <li key={i} class={`sev-${f.severity}`}>
              [{f.rule}] {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
