/**
 * Ways the reference server can be told to break the protocol (`khp-inspect serve --misbehave`), so
 * that the conformance suite can be seen to fail: each misbehaviour names the suite cases it must
 * turn FAILED (test/unit/suite/misbehave.test.ts runs them). Off by default; never for real use.
 */

/** One misbehaviour: what the server then does wrong, and the cases that catch it. */
export interface MisbehaviourInfo {
  readonly description: string;
  /** Suite case ids that must end FAILED against a server misbehaving this way. */
  readonly breaks: readonly string[];
}

export const MISBEHAVIOURS = {
  'no-protocol': {
    description: 'The opening 101 leaves out Sec-WebSocket-Protocol: x-kaazing-handshake.',
    breaks: ['1.1', '1.2'],
  },
  'early-message': {
    description: 'Sends a text message right after the opening, before any extended request.',
    breaks: ['1.5'],
  },
  'accept-garbage': {
    description: 'Completes the handshake (101) when the first message is not an HTTP request.',
    breaks: ['2.5'],
  },
  'no-challenge': {
    description: 'Answers 401 without WWW-Authenticate.',
    breaks: ['3.1'],
  },
  'no-location': {
    description: 'Answers 3xx without Location.',
    breaks: ['4.1', '4.2'],
  },
  'grant-unrequested': {
    description: 'Grants x-kaazing-ping-pong on every 101, asked for or not.',
    breaks: ['5.2'],
  },
  'invalid-status': {
    description: 'Writes the code of a /status/<code> answer with four digits (2000 for 200).',
    breaks: ['6.1'],
  },
  'no-terminator': {
    description: 'Sends no empty message after extended responses, even with .kl=Y.',
    breaks: ['7.1', '7.2'],
  },
  'redirect-no-close': {
    description: 'Keeps the socket open after a 3xx instead of closing it.',
    breaks: ['8.2'],
  },
} as const satisfies Record<string, MisbehaviourInfo>;

/** A misbehaviour's name. */
export type Misbehaviour = keyof typeof MISBEHAVIOURS;

/**
 * The misbehaviour `name` names: a misbehaviour's own name, or a suite case id (`3.1`) it breaks
 * (the first such). Null when it names neither.
 */
export function findMisbehaviour(name: string): Misbehaviour | null {
  if (Object.hasOwn(MISBEHAVIOURS, name)) return name as Misbehaviour;
  const entries = Object.entries(MISBEHAVIOURS) as [Misbehaviour, MisbehaviourInfo][];
  return entries.find(([, info]) => info.breaks.includes(name))?.[0] ?? null;
}
