// A hub served over smart HTTP (`git http-backend` behind a small CGI bridge in Node) on
// 127.0.0.1, with or without basic auth. Started as its own process on a free port (retried
// if another process takes the port first), stopped by its PID; an 'exit' guard kills any
// server a failing test left behind.
import { spawn } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { freePort, killOnExit } from './daemon.ts';

export interface HttpHub {
  /** http://127.0.0.1:<port>/<bare repo folder>, without credentials. */
  url: string;
  /** The same URL with `user:password@` when the server asks for auth. */
  authUrl: string;
  pid: number;
  stop(): Promise<void>;
}


const SERVER = join(import.meta.dirname, 'http-hub-server.mjs');

export interface HttpHubOptions {
  /** `user:password` to require (pushes always; reads too with authReads). */
  credentials?: string;
  authReads?: boolean;
}

export async function startHttpHub(hubPath: string, options: HttpHubOptions = {}): Promise<HttpHub> {
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVER, dirname(hubPath), String(port), ...(options.credentials ? [options.credentials] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AUTH_READS: options.authReads ? '1' : '0' },
    });
    killOnExit(child);
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().startsWith('listening')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (lastError += chunk.toString()));
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!started) {
      if (child.exitCode === null) child.kill('SIGKILL');
      continue;
    }
    const pid = child.pid!;
    const url = `http://127.0.0.1:${port}/${basename(hubPath)}`;
    return {
      url,
      authUrl: options.credentials ? url.replace('http://', `http://${options.credentials}@`) : url,
      pid,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          process.kill(pid, 'SIGTERM');
        }),
    };
  }
  throw new Error(`the HTTP hub did not start for ${hubPath}: ${lastError.trim()}`);
}
