import { useState } from 'preact/hooks';
import { describeSite } from '../settings/sites';
import type { OptionsModel } from './use-options';

/** Where the extension captures: every site, or only the listed ones (each with its permission). */
export function SitesSection({ model }: { model: OptionsModel }) {
  const { options, access, siteError } = model;
  const [input, setInput] = useState('');
  if (!options) return null;
  const listed = options.siteMode === 'listed';
  return (
    <section aria-labelledby="sites-title">
      <h2 id="sites-title">Sites</h2>
      <p class="hint">
        Where KHP Inspector captures WebSockets. On any other site its scripts are not injected at all.
      </p>
      <div class="choice">
        <label>
          <input
            type="radio"
            name="site-mode"
            id="site-mode-all"
            checked={!listed}
            onClick={(e) => {
              // The radios show the saved mode: a click asks for the change, which may be refused.
              e.preventDefault();
              if (listed || !access.all) void model.chooseAll();
            }}
          />
          <span>
            <strong>All sites</strong>: every page you open.
          </span>
        </label>
        {!listed && !access.all && (
          <div class="needs-access" role="alert">
            The browser has not granted KHP Inspector access to all sites, so nothing is captured.{' '}
            <button type="button" id="allow-all" onClick={() => void model.chooseAll()}>
              Allow on all sites
            </button>{' '}
            or choose only some sites below.
          </div>
        )}
      </div>
      <div class="choice">
        <label>
          <input
            type="radio"
            name="site-mode"
            id="site-mode-listed"
            checked={listed}
            onClick={(e) => {
              e.preventDefault();
              if (!listed) void model.chooseListed();
            }}
          />
          <span>
            <strong>Only these sites</strong>: the browser asks for each site as you add it; removing a site
            gives its permission back.
          </span>
        </label>
        <fieldset class="site-list" disabled={!listed} aria-label="Listed sites">
          <form
            class="site-add"
            onSubmit={(e) => {
              e.preventDefault();
              if (model.addSite(input)) setInput('');
            }}
          >
            <input
              id="site-input"
              type="text"
              value={input}
              placeholder="gateway.example.com, *.example.com or https://host"
              aria-label="Site to add"
              aria-invalid={siteError !== null}
              aria-describedby={siteError ? 'site-error' : undefined}
              onInput={(e) => setInput((e.currentTarget as HTMLInputElement).value)}
            />
            <button type="submit" id="site-add">
              Add site
            </button>
          </form>
          {siteError && (
            <p id="site-error" class="field-error" role="alert">
              {siteError}
            </p>
          )}
          {options.sites.length === 0 ? (
            <p class="hint">No site listed{listed ? ': nothing is captured.' : '.'}</p>
          ) : (
            <table class="sites">
              <thead>
                <tr>
                  <th scope="col">Site</th>
                  <th scope="col">Pattern</th>
                  <th scope="col">Access</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {options.sites.map((s) => (
                  <tr key={s} class="site-row" data-pattern={s}>
                    <td>{describeSite(s)}</td>
                    <td>
                      <code>{s}</code>
                    </td>
                    <td class={access.sites[s] ? 'granted' : 'missing'}>
                      {access.sites[s] ? (
                        'allowed'
                      ) : (
                        <>
                          no permission{' '}
                          <button type="button" class="site-allow" onClick={() => void model.allowSite(s)}>
                            Allow
                          </button>
                        </>
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        class="site-remove"
                        aria-label={`Remove ${describeSite(s)}`}
                        onClick={() => void model.removeSite(s)}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </fieldset>
      </div>
    </section>
  );
}
