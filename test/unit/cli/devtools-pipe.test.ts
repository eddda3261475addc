import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CdpPipe, showPanelInEveryDevTools } from '../../../src/cli/devtools-pipe';

/** A fake browser end of the pipe: what the client wrote, and a way to answer. */
function fakeBrowser() {
  const toBrowser = new PassThrough();
  const fromBrowser = new PassThrough();
  const sent: Array<{ id: number; method: string; params: Record<string, unknown>; sessionId?: string }> = [];
  let pending = '';
  toBrowser.setEncoding('utf8');
  toBrowser.on('data', (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf('\0'); end >= 0; end = pending.indexOf('\0')) {
      sent.push(JSON.parse(pending.slice(0, end)));
      pending = pending.slice(end + 1);
    }
  });
  const write = (message: object) => fromBrowser.write(JSON.stringify(message) + '\0');
  return { pipe: new CdpPipe(toBrowser, fromBrowser), sent, write, fromBrowser };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('CdpPipe', () => {
  it('matches replies to commands across split chunks, and passes events on', async () => {
    const { pipe, sent, fromBrowser } = fakeBrowser();
    const events: string[] = [];
    pipe.onEvent((method) => events.push(method));
    const a = pipe.send('A.one');
    const b = pipe.send('B.two', { x: 1 }, 'S1');
    await tick();
    expect(sent.map((m) => [m.id, m.method, m.sessionId])).toEqual([
      [1, 'A.one', undefined],
      [2, 'B.two', 'S1'],
    ]);
    const wire =
      JSON.stringify({ id: 2, result: { v: 'b' } }) + '\0' + JSON.stringify({ method: 'E.v', params: {} });
    fromBrowser.write(wire.slice(0, 7));
    fromBrowser.write(
      wire.slice(7) + '\0not json\0' + JSON.stringify({ id: 1, error: { message: 'no' } }) + '\0',
    );
    await expect(b).resolves.toEqual({ v: 'b' });
    await expect(a).rejects.toThrow('A.one: no');
    expect(events).toEqual(['E.v']);
  });

  it('fails what waits when the browser goes, and refuses later commands', async () => {
    const { pipe, fromBrowser } = fakeBrowser();
    const waiting = pipe.send('A.one');
    fromBrowser.destroy();
    await expect(waiting).rejects.toThrow('closed');
    await expect(pipe.send('A.two')).rejects.toThrow('closed');
  });
});

describe('showPanelInEveryDevTools', () => {
  it('selects the panel once in each DevTools front-end, not in other targets', async () => {
    const { pipe, sent, write } = fakeBrowser();
    const shown: Array<[string, string | null]> = [];
    const started = showPanelInEveryDevTools(pipe, 'chrome-extension://abcKHP', (t, s) => shown.push([t, s]));
    await tick();
    write({ id: sent[0]!.id, result: {} });
    await started;
    const created = (targetId: string, url: string) =>
      write({ method: 'Target.targetCreated', params: { targetInfo: { targetId, type: 'other', url } } });
    created('P1', 'https://example.test/');
    created('D1', 'devtools://devtools/bundled/devtools_app.html');
    write({
      method: 'Target.targetInfoChanged',
      params: { targetInfo: { targetId: 'D1', url: 'devtools://devtools/bundled/devtools_app.html' } },
    });
    await tick();
    const attach = sent.filter((m) => m.method === 'Target.attachToTarget');
    expect(attach.map((m) => m.params.targetId)).toEqual(['D1']);
    write({ id: attach[0]!.id, result: { sessionId: 'S' } });
    await tick();
    const evaluate = sent.find((m) => m.method === 'Runtime.evaluate')!;
    expect(evaluate.sessionId).toBe('S');
    expect(String(evaluate.params.expression)).toContain('"chrome-extension://abcKHP"');
    write({ id: evaluate.id, result: { result: { value: 'chrome-extension://abcKHP' } } });
    await tick();
    write({ id: sent.at(-1)!.id, result: {} });
    await tick();
    expect(shown).toEqual([['D1', 'chrome-extension://abcKHP']]);
  });
});
