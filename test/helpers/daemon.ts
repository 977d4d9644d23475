// A real `git daemon` serving hubs over git:// on the loopback interface only, so tests can
// exercise the network transport (push over a socket, not a local file copy).
// Stopped by its PID; a process 'exit' guard kills any daemon a failing test left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { basename, dirname } from 'node:path';

export interface GitDaemon {
  /** git://127.0.0.1:<port>/<name of the bare repo folder> */
  url: string;
  port: number;
  pid: number;
  /** Kills the daemon by its PID and waits for it to exit. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) {
    try {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

/** Kills `child` by its PID if the test process exits first (a failing test leaves no server). */
export function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Asks the kernel for a free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Serves the bare repository `hubPath` (and its siblings) with push enabled.
 * Returns once the daemon accepts connections.
 */
export async function startDaemon(hubPath: string, options: { timeoutMs?: number } = {}): Promise<GitDaemon> {
  const base = dirname(hubPath);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError = '';
  // A port found free can be taken by someone else before the daemon binds it: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(
      'git',
      ['daemon', '--reuseaddr', `--base-path=${base}`, '--export-all', '--enable=receive-pack', '--listen=127.0.0.1', `--port=${port}`, base],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    running.add(child);
    let exited = false;
    child.once('exit', () => {
      exited = true;
      running.delete(child);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      lastError += chunk.toString();
    });
    while (!exited && Date.now() < deadline) {
      if (await canConnect(port)) {
        const pid = child.pid!;
        return {
          url: `git://127.0.0.1:${port}/${basename(hubPath)}`,
          port,
          pid,
          stop: () =>
            new Promise<void>((resolve) => {
              if (exited) return resolve();
              child.once('exit', () => resolve());
              try {
                process.kill(pid, 'SIGTERM');
              } catch {
                resolve();
              }
            }),
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!exited && child.pid) process.kill(child.pid, 'SIGKILL');
    if (Date.now() >= deadline) break;
  }
  throw new Error(`git daemon did not start for ${hubPath}: ${lastError.trim()}`);
}
