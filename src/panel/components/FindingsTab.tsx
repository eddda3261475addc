import type { Finding } from '../../protocol/model';
import { usePanel } from '../store/context';
import { specText } from './StatusMeaning';
import { arrowFocus } from './Waterfall';

interface Props {
  findings: Finding[];
  /** Findings of the redirect chain the socket ends (shown after its own, marked as the chain's). */
  chainFindings?: Finding[];
  onShowFrame(frame: number): void;
}

const SEVERITY_ICON = { error: '✖', warning: '⚠', info: 'ℹ' } as const;

/** What the decoder noticed: severity, rule id, message, and the spec clause behind the rule. */
export function FindingsTab({ findings, chainFindings = [], onShowFrame }: Props) {
  const { core } = usePanel();
  const all = [
    ...findings.map((f) => ({ f, chain: false })),
    ...chainFindings.map((f) => ({ f, chain: true })),
  ];
  if (all.length === 0)
    return <div class="note">No findings: the handshake follows the spec as far as it was seen.</div>;
  return (
    <ul class="findings" aria-label="Findings" onKeyDown={(e) => arrowFocus(e, 'button')}>
      {all.map(({ f, chain }, i) => {
        const rule = core.rule(f.rule);
        return (
          <li key={i} class={`finding sev-${f.severity}`}>
            <div class="finding-head">
              <span class="sev" aria-hidden="true">
                {SEVERITY_ICON[f.severity]}
              </span>
              <span class="sev-text">{f.severity}</span>
              <code class="rule-id">{f.rule}</code>
              {rule && <span class="rule-title">{rule.title}</span>}
              {chain && (
                <span class="tag" title="A finding about the whole redirect chain this socket ends">
                  redirect chain
                </span>
              )}
              {f.frame !== undefined && (
                <button type="button" class="link-button" onClick={() => onShowFrame(f.frame!)}>
                  frame #{f.frame}
                </button>
              )}
            </div>
            <div class="finding-msg">{specText(f.message)}</div>
            {(f.spec || rule?.spec) && <div class="finding-spec">Spec: {f.spec || rule?.spec}</div>}
            {rule?.explain && <div class="finding-explain">{rule.explain}</div>}
          </li>
        );
      })}
    </ul>
  );
}
