/** One-line, human-readable descriptions of client events (the steps list, the demo page's log). */
import type { KhpEvents } from './types';

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}

function preview(data: string | Uint8Array): string {
  if (typeof data !== 'string') return `${data.length} bytes (binary)`;
  return data.length > 60 ? `"${data.slice(0, 60)}…"` : `"${data}"`;
}

/** Describes one event in a line of plain text. */
export function describeEvent<K extends keyof KhpEvents>(type: K, payload: KhpEvents[K]): string {
  const p = payload as KhpEvents[keyof KhpEvents];
  switch (type) {
    case 'opening': {
      const e = p as KhpEvents['opening'];
      return `opening ${e.url} (socket ${e.attempt}, protocols ${e.protocols.join(', ')})`;
    }
    case 'open': {
      const e = p as KhpEvents['open'];
      return `open: protocol '${e.protocol}'${e.extensions ? `, extensions ${e.extensions}` : ''}`;
    }
    case 'balancer': {
      const e = p as KhpEvents['balancer'];
      return e.kind === 'N' ? 'balancer message N (stay)' : `balancer redirect to ${e.target ?? '?'}`;
    }
    case 'request': {
      const e = p as KhpEvents['request'];
      return `${e.replay ? 'replayed' : 'sent'} extended request ${firstLine(e.text)} (${e.binary ? 'binary' : 'text'})`;
    }
    case 'response': {
      const e = p as KhpEvents['response'];
      const end = {
        'empty-frame': 'empty-frame terminator',
        'message-end': 'no terminator',
        none: 'no terminator',
      };
      return `response ${e.status} ${e.reason} (${e.messages} message${e.messages === 1 ? '' : 's'}, ${end[e.terminator]})`;
    }
    case 'challenge': {
      const e = p as KhpEvents['challenge'];
      return `challenge ${e.attempt}: ${e.scheme}${e.realm === undefined ? '' : ` realm "${e.realm}"`}`;
    }
    case 'redirect': {
      const e = p as KhpEvents['redirect'];
      return `redirect (${e.status}) to ${e.to}`;
    }
    case 'completed': {
      const e = p as KhpEvents['completed'];
      const ext = e.extensions.length ? `, extensions ${e.extensions.join(', ')}` : '';
      return `completed with ${e.status} on ${e.url}${e.protocol ? `, protocol ${e.protocol}` : ''}${ext}`;
    }
    case 'failed': {
      const e = p as KhpEvents['failed'];
      return `failed (${e.error.code}): ${e.error.message}`;
    }
    case 'message': {
      const e = p as KhpEvents['message'];
      return `message ${preview(e.data)}`;
    }
    case 'ping': {
      const e = p as KhpEvents['ping'];
      return `extended ping${e.answered ? ', answered with pong' : ''}`;
    }
    case 'close': {
      const e = p as KhpEvents['close'];
      return `closed ${e.code}${e.reason ? ` (${e.reason})` : ''}${e.wasClean ? '' : ', not clean'}`;
    }
    default:
      return String(type);
  }
}
