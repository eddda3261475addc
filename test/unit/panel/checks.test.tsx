// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionList } from '../../../src/panel/components/ConnectionList';
import { ExtensionsTab } from '../../../src/panel/components/ExtensionsTab';
import { RedirectsTab } from '../../../src/panel/components/RedirectsTab';
import type { Chain, Connection } from '../../../src/protocol/model';
import { DECODED } from '../../fixtures/panel/decoded';

afterEach(cleanup);

const ext = (name: string) => ({ name, params: {}, raw: name });

describe('extension checks', () => {
  it('shows the subset, duplicate and renegotiation checks where they fail', () => {
    const c: Connection = {
      ...DECODED.auth!,
      openingExtensions: [ext('x-kaazing-ping-pong')],
      requestedExtensions: [ext('x-kaazing-ping-pong')],
      extensions: [ext('x-kaazing-ping-pong'), ext('x-kaazing-ping-pong'), ext('x-kaazing-secret')],
      findings: [
        {
          severity: 'error',
          rule: 'ext-not-subset',
          message: 'x-kaazing-secret was not requested.',
          spec: '',
        },
      ],
    };
    const { container } = render(<ExtensionsTab connection={c} />);
    const failed = Array.from(container.querySelectorAll('.checks li.fail')).map((li) => li.textContent);
    expect(failed).toHaveLength(4);
    expect(failed[0]).toContain('Granted but never requested: x-kaazing-secret');
    expect(failed[1]).toContain('Granted more than once: x-kaazing-ping-pong');
    expect(failed[2]).toContain('Also negotiated in the opening handshake: x-kaazing-ping-pong');
    expect(failed[3]).toContain('[ext-not-subset]');
  });
});

function hops(n: number, loop: boolean): { chain: Chain; byId: Map<string, Connection> } {
  const list: Connection[] = Array.from({ length: n }, (_, i) => ({
    ...DECODED.r1!,
    id: `h${i}`,
    url: `ws://gw.example.com/r/${i % (loop ? 2 : n)}`,
    startedAt: DECODED.r1!.startedAt + i * 10,
  }));
  return {
    chain: {
      connections: list.map((c) => c.id),
      outcome: loop ? 'loop' : 'too-many-redirects',
      loop,
      findings: [],
    },
    byId: new Map(list.map((c) => [c.id, c])),
  };
}

describe('redirect flags', () => {
  it('marks a loop on the list group and in the Redirects tab', () => {
    const { chain, byId } = hops(3, true);
    const connections = [...byId.values()];
    render(
      <ConnectionList
        groups={[{ key: 'g', chain, connections }]}
        selectedId={null}
        onSelect={() => {}}
        onOpen={() => {}}
      />,
    );
    const group = screen.getByRole('group');
    expect(group.querySelector('.chain-path')!.textContent).toBe('/r/0 → /r/1 → /r/0');
    expect(group.textContent).toContain('loop');
    cleanup();
    render(<RedirectsTab connection={connections[0]!} chain={chain} byId={byId} onOpen={() => {}} />);
    expect(screen.getByRole('alert').textContent).toContain('Redirect loop');
  });

  it('flags more than five redirects', () => {
    const { chain, byId } = hops(7, false);
    render(<RedirectsTab connection={[...byId.values()][0]!} chain={chain} byId={byId} onOpen={() => {}} />);
    expect(screen.getByRole('alert').textContent).toContain('6 redirects: more than five');
    expect(screen.getByRole('table', { name: 'Redirect hops' }).querySelectorAll('tbody tr')).toHaveLength(7);
  });
});
