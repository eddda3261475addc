import { useSystemDark } from '../panel/components/use-system-dark';
import { FrameBudgetField } from './FrameBudgetField';
import type { OptionsApi } from './options-api';
import { SitesSection } from './SitesSection';
import { useOptions } from './use-options';

interface Props {
  api: OptionsApi;
  /** `light` or `dark` to force a theme (screenshots); otherwise the system's. */
  theme: 'light' | 'dark' | null;
}

/** The options page: capture defaults for new tabs, and the sites the extension captures on. */
export function OptionsApp({ api, theme }: Props) {
  const model = useOptions(api);
  const systemDark = useSystemDark();
  const { options, status } = model;
  return (
    <div class="khp-app khp-options" data-theme={theme ?? (systemDark ? 'dark' : 'light')}>
      <main>
        <h1>KHP Inspector options</h1>
        <p id="status" class={`status status-${status.kind}`} role="status" data-seq={status.seq}>
          {status.text}
        </p>
        {options && (
          <>
            <section aria-labelledby="defaults-title">
              <h2 id="defaults-title">Capture defaults</h2>
              <p class="hint">
                Every tab starts with these. The KHP panel's toolbar still changes them for its own tab, and a
                tab keeps what its panel set.
              </p>
              <label class="check">
                <input
                  type="checkbox"
                  id="preserve-log"
                  checked={options.preserveLog}
                  onChange={(e) => void model.setPreserveLog((e.currentTarget as HTMLInputElement).checked)}
                />
                <span>
                  <strong>Preserve log</strong>: keep sockets when the page navigates or reloads.
                </span>
              </label>
              <label class="check">
                <input
                  type="checkbox"
                  id="full-capture"
                  checked={options.fullCapture}
                  onChange={(e) => void model.setFullCapture((e.currentTarget as HTMLInputElement).checked)}
                />
                <span>
                  <strong>Capture all frames</strong>: keep every frame whole, DevTools open or not. This
                  costs every page with sockets some CPU on each message.
                </span>
              </label>
              <FrameBudgetField
                value={options.frameBudget}
                onSave={(n) => void model.setFrameBudget(n)}
                onRefuse={model.refuseFrameBudget}
              />
            </section>
            <SitesSection model={model} />
          </>
        )}
      </main>
    </div>
  );
}
