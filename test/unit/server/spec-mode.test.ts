import { describe, expect, it } from 'vitest';
import { request } from './raw-client';
import { useServer } from './server-harness';

const harness = useServer({ port: 0, mode: 'spec', closeGraceMs: 300 });
const open = harness.open;

describe('spec mode', () => {
  it(
    'sends no balancer messages, a standard status line, one extensions line, then only the empty frame',
    { timeout: 5000 },
    async () => {
      const c = await open('/echo?.kl=Y');
      c.send(
        request('/echo', [
          'Sec-WebSocket-Protocol: chat, amqp',
          'Sec-WebSocket-Extensions: x-kaazing-ping-pong,x-kaazing-idle-timeout',
        ]),
      );
      const text = (await c.frame(0)).data.toString();
      expect(text.startsWith('HTTP/1.1 101 Switching Protocols\r\n')).toBe(true);
      expect(text).toContain(
        'Sec-WebSocket-Extensions: x-kaazing-ping-pong; 01010102, x-kaazing-idle-timeout; timeout=30000\r\n',
      );
      expect(text.match(/Sec-WebSocket-Extensions/g)).toHaveLength(1);
      expect(text).toContain('Sec-WebSocket-Protocol: chat\r\n');
      expect(text).not.toContain('Date:');
      expect(await c.frame(1)).toEqual({ data: Buffer.alloc(0), binary: true });
      c.send('after');
      expect(await c.frame(2)).toEqual({ data: Buffer.from('after'), binary: false });
      expect(c.frames).toHaveLength(3);
    },
  );

  it('still ends every response with an empty binary frame without .kl=Y', { timeout: 5000 }, async () => {
    const c = await open('/auth/basic');
    c.send(request('/auth/basic'));
    expect((await c.frame(0)).data.toString()).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(await c.frame(1)).toEqual({ data: Buffer.alloc(0), binary: true });
  });

  it('closes 1000 after a redirect', { timeout: 5000 }, async () => {
    const c = await open('/redirect/1');
    c.send(request('/redirect/1'));
    expect((await c.frame(0)).data.toString()).toContain(
      `Location: http://127.0.0.1:${harness.server.port}/redirect/0\r\n`,
    );
    expect(await c.frame(1)).toEqual({ data: Buffer.alloc(0), binary: true });
    expect((await c.closed()).code).toBe(1000);
  });
});
