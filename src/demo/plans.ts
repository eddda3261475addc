/**
 * The demo page's scenarios: which path of the reference server each button opens, and which
 * extensions it asks for. Shared with the tests that check the panel, `decode` and `probe` agree on
 * every one of them.
 */

/** One scenario: a path on the reference server and the extensions the client requests. */
export interface DemoPlan {
  path: string;
  extensions?: string[];
}

/** Every KHP scenario of the demo, by button name; `status` answers `statusCode`. */
export function demoPlans(statusCode = 403): Record<string, DemoPlan> {
  return {
    echo: { path: '/echo' },
    'echo-ext': {
      path: '/echo?timeout=10000',
      extensions: ['x-kaazing-idle-timeout', 'x-kaazing-ping-pong'],
    },
    'auth-basic': { path: '/auth/basic' },
    'auth-token': { path: '/auth/token' },
    redirect: { path: '/redirect/3' },
    'redirect-long': { path: '/redirect/7' },
    loop: { path: '/loop/a' },
    balancer: { path: '/balancer' },
    split: { path: '/split' },
    slow: { path: '/slow?ms=2000' },
    'not-found': { path: '/nowhere' },
    status: { path: `/status/${statusCode}` },
  };
}
