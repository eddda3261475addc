/**
 * Spawns echo-server-process.ts (`node --import tsx`) and reads the ws URL it prints. `close()`
 * sends SIGTERM, then SIGKILL if the process has not exited within 5 s.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = resolve(import.meta.dirname, 'echo-server-process.ts');

/** A running echo server process. */
export interface EchoServerProcess {
  /** Base ws URL, e.g. `ws://127.0.0.1:40123`; append `/echo`. */
  wsUrl: string;
  pid: number;
  close(): Promise<void>;
}

/** Starts the server process and resolves once it has printed its URL (fails after `timeoutMs`). */
export function spawnEchoServer(timeoutMs = 20_000): Promise<EchoServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return new Promise((resolveUrl, reject) => {
    let out = '';
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void close().then(() => reject(err));
    };
    const timer = setTimeout(() => fail(new Error('echo server printed no URL')), timeoutMs);
    child.once('error', fail);
    void exited.then(() => fail(new Error(`echo server exited (${child.exitCode}) before printing its URL`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (settled || !out.includes('\n')) return;
      const line = out.slice(0, out.indexOf('\n')).trim();
      if (!line.startsWith('ws://')) {
        fail(new Error(`echo server printed ${JSON.stringify(line)}`));
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolveUrl({ wsUrl: line, pid: child.pid!, close });
    });
  });
}
