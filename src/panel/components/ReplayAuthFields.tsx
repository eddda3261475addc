import type { CredentialInput } from '../../replay/types';

interface Props {
  value: CredentialInput;
  /** Receives an update of the latest value (edits made before a re-render compose). */
  onChange(update: (value: CredentialInput) => CredentialInput): void;
  /** Prefix for the fields' accessible names, e.g. "401 answer". */
  label: string;
  /** Offer "none" (default true). */
  allowNone?: boolean;
}

/** Basic (user + password) or Token credentials, for the `Authorization` helpers. */
export function ReplayAuthFields({ value, onChange, label, allowNone = true }: Props) {
  const setScheme = (scheme: string) => {
    if (scheme === 'Basic') onChange(() => ({ scheme: 'Basic', user: '', password: '' }));
    else if (scheme === 'Token') onChange(() => ({ scheme: 'Token', token: '' }));
    else onChange(() => ({ scheme: 'none' }));
  };
  return (
    <span class="replay-auth">
      <select
        aria-label={`${label} scheme`}
        value={value.scheme}
        onChange={(e) => setScheme((e.currentTarget as HTMLSelectElement).value)}
      >
        {allowNone && <option value="none">none</option>}
        <option value="Basic">Basic</option>
        <option value="Token">Token</option>
      </select>
      {value.scheme === 'Basic' && (
        <>
          <input
            aria-label={`${label} user`}
            placeholder="user"
            autocomplete="off"
            value={value.user}
            onInput={(e) => {
              const user = (e.currentTarget as HTMLInputElement).value;
              onChange((v) => (v.scheme === 'Basic' ? { ...v, user } : v));
            }}
          />
          <input
            aria-label={`${label} password`}
            placeholder="password"
            type="password"
            autocomplete="off"
            value={value.password}
            onInput={(e) => {
              const password = (e.currentTarget as HTMLInputElement).value;
              onChange((v) => (v.scheme === 'Basic' ? { ...v, password } : v));
            }}
          />
        </>
      )}
      {value.scheme === 'Token' && (
        <input
          aria-label={`${label} token`}
          placeholder="token"
          autocomplete="off"
          value={value.token}
          onInput={(e) => {
            const token = (e.currentTarget as HTMLInputElement).value;
            onChange((v) => (v.scheme === 'Token' ? { ...v, token } : v));
          }}
        />
      )}
    </span>
  );
}
