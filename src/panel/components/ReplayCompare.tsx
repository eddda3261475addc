import { Fragment } from 'preact';
import type { Connection } from '../../protocol/model';
import { compareReplay, type HeaderDiff, type HopDiff, type RoundSide } from '../../replay/compare';

const MARK = { same: '', added: '+', removed: '−', changed: '≠' } as const;

function status(side: RoundSide | null): string {
  if (!side) return '—';
  return side.status === null ? '(no response)' : `${side.status} ${side.reason}`.trim();
}

function HeaderRows({ title, diffs }: { title: string; diffs: HeaderDiff[] }) {
  if (diffs.length === 0) return null;
  return (
    <>
      <tr class="cmp-sub">
        <th colSpan={3} scope="colgroup">
          {title}
        </th>
      </tr>
      {diffs.map((d, i) => (
        <tr key={`${title}${i}`} class={`cmp-${d.change}`} data-change={d.change}>
          <th scope="row">
            <span class="cmp-mark" aria-label={d.change}>
              {MARK[d.change]}
            </span>{' '}
            {d.name}
            {d.volatile && d.change === 'changed' && <span class="muted"> (varies)</span>}
          </th>
          <td>{d.original ?? ''}</td>
          <td>{d.replay ?? ''}</td>
        </tr>
      ))}
    </>
  );
}

function Hop({ hop }: { hop: HopDiff }) {
  return (
    <table class="cmp-hop" aria-label={`Hop ${hop.index + 1}`}>
      <thead>
        <tr>
          <th scope="col">Hop {hop.index + 1}</th>
          <th scope="col">Original</th>
          <th scope="col">Replay</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">URL</th>
          <td>{hop.original?.url ?? '—'}</td>
          <td>{hop.replay?.url ?? '—'}</td>
        </tr>
        <tr class={hop.outcomeChanged ? 'cmp-changed' : undefined} data-row="outcome">
          <th scope="row">Outcome</th>
          <td>{hop.original?.outcome ?? '—'}</td>
          <td>{hop.replay?.outcome ?? '—'}</td>
        </tr>
        <tr data-row="extensions">
          <th scope="row">Granted extensions</th>
          <td colSpan={2}>
            {hop.extensions.length === 0
              ? 'none'
              : hop.extensions.map((e) => (
                  <span key={e.name} class={`cmp-ext cmp-${e.change}`} data-change={e.change}>
                    {MARK[e.change]}
                    {e.name}{' '}
                  </span>
                ))}
          </td>
        </tr>
        {hop.rounds.map((r) => (
          <Fragment key={r.index}>
            <tr class={`cmp-round${r.statusChanged ? ' cmp-changed' : ''}`} data-row="status">
              <th scope="row">Round {r.index + 1} status</th>
              <td>{status(r.original)}</td>
              <td>{status(r.replay)}</td>
            </tr>
            <HeaderRows title={`Round ${r.index + 1} request headers`} diffs={r.request} />
            <HeaderRows title={`Round ${r.index + 1} response headers`} diffs={r.response} />
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

/** The replay's hops side by side with the original's: statuses, headers (+ added, − removed, ≠ changed), extensions, outcome. */
export function ReplayCompare({ original, replay }: { original: Connection[]; replay: Connection[] }) {
  const cmp = compareReplay(original, replay);
  return (
    <section class="replay-compare" aria-label="Comparison with the original">
      <p class="cmp-summary">
        Original: <b>{cmp.original || '—'}</b> · Replay:{' '}
        <b data-testid="replay-path">{cmp.replay || 'waiting…'}</b>{' '}
        {replay.length > 0 &&
          (cmp.same ? <span class="ok">same result</span> : <span class="warn">different</span>)}
      </p>
      {cmp.hops.map((hop) => (
        <Hop key={hop.index} hop={hop} />
      ))}
    </section>
  );
}
