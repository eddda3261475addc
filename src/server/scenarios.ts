/**
 * The reference server's scenarios, chosen by the opening path (docs/server.md lists them), and the
 * credential check of the `/auth/*` scenarios.
 */
import { base64Decode, utf8Decode } from '../protocol/bytes';

/** The one user the auth scenarios accept. */
export const DEMO_USER = 'joe';
export const DEMO_PASSWORD = 'welcome';
/** The token `/auth/token` accepts. */
export const DEMO_TOKEN = `${DEMO_USER}:${DEMO_PASSWORD}`;

export type Scenario =
  | { kind: 'echo'; idleTimeoutMs?: number }
  | { kind: 'auth'; scheme: 'Basic' | 'Token' }
  | { kind: 'redirect'; location: string }
  | { kind: 'balancer' }
  | { kind: 'status'; code: number }
  | { kind: 'split' }
  | { kind: 'slow'; ms: number }
  | { kind: 'not-found' };

/** Limits applied while routing. */
export interface RouteLimits {
  maxSlowMs: number;
}

const MAX_REDIRECT_N = 100;

/** Chooses the scenario for an opening URL (path and query; `.kl=Y` is ignored). */
export function routeScenario(url: URL, limits: RouteLimits): Scenario {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/echo') {
    const t = Number(url.searchParams.get('timeout'));
    return Number.isInteger(t) && t > 0
      ? { kind: 'echo', idleTimeoutMs: Math.min(Math.max(t, 200), 600_000) }
      : { kind: 'echo' };
  }
  if (path === '/auth/basic') return { kind: 'auth', scheme: 'Basic' };
  if (path === '/auth/token') return { kind: 'auth', scheme: 'Token' };
  if (path === '/balancer') return { kind: 'balancer' };
  if (path === '/split') return { kind: 'split' };
  if (path === '/loop/a') return { kind: 'redirect', location: '/loop/b' };
  if (path === '/loop/b') return { kind: 'redirect', location: '/loop/a' };
  if (path === '/slow') {
    const ms = Number(url.searchParams.get('ms') ?? '2000');
    return { kind: 'slow', ms: Number.isFinite(ms) ? Math.min(Math.max(ms, 0), limits.maxSlowMs) : 0 };
  }
  let m = /^\/redirect\/(\d{1,3})$/.exec(path);
  if (m) {
    const n = Number(m[1]);
    if (n > MAX_REDIRECT_N) return { kind: 'not-found' };
    return { kind: 'redirect', location: n === 0 ? '/echo' : `/redirect/${n - 1}` };
  }
  m = /^\/status\/(\d{3})$/.exec(path);
  if (m) {
    const code = Number(m[1]);
    if (code >= 100 && code <= 599) return { kind: 'status', code };
  }
  return { kind: 'not-found' };
}

/** Result of checking an `Authorization` header against the demo credentials. */
export type AuthCheck = 'missing' | 'wrong' | 'ok';

/**
 * Checks `Authorization` for `scheme`. Basic wants `Basic base64(joe:welcome)`; Token accepts
 * `Token joe:welcome`, `Bearer joe:welcome` or the bare token.
 */
export function checkAuthorization(scheme: 'Basic' | 'Token', header: string | undefined): AuthCheck {
  if (header === undefined || header.trim() === '') return 'missing';
  const value = header.trim();
  if (scheme === 'Basic') {
    const m = /^Basic\s+(\S+)$/i.exec(value);
    const bytes = m ? base64Decode(m[1] ?? '') : null;
    return bytes && utf8Decode(bytes) === `${DEMO_USER}:${DEMO_PASSWORD}` ? 'ok' : 'wrong';
  }
  const token = value.replace(/^(Token|Bearer)\s+/i, '');
  return token === DEMO_TOKEN ? 'ok' : 'wrong';
}
