import type { Finding } from '../../protocol/model';
import { usePanel } from '../store/context';
import { specText } from './StatusMeaning';
import { arrowFocus } from './Waterfall';

interface Props {
  findings: Finding[];
  onShowFrame(frame: number): void;
}

const SEVERITY_ICON = { error: '✖', warning: '⚠', info: 'ℹ' } as const;

/** What the decoder noticed: severity, rule id, message, and the spec clause behind the rule. */
export function FindingsTab({ findings, onShowFrame }: Props) {
  const { core } = usePanel();
  if (findings.length === 0)
    return <div class="note">No findings: the handshake follows the spec as far as it was seen.</div>;
  return (
    <ul class="findings" aria-label="Findings" onKeyDown={(e) => arrowFocus(e, 'button')}>
      {findings.map((f, i) => {
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
