// Processes started early and read from the start (src/early-git.ts): what nobody has asked for
// yet is read ahead only up to a bound (the rest waits in the pipe), and the caller that takes
// the process gets every byte, in order, whether it asks before git has printed, while git
// waits on the pipe, or after git has exited; `then` still gets the whole output.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { earlyGitStats, startGitEarly } from '../src/early-git.ts';
import { gitProcess } from '../src/git.ts';
import { git, makeRepo } from './helpers/repo.ts';

/** A repository holding one blob of `size` bytes that differ along its length; its id. */
function bigBlob(size: number): { dir: string; id: string; text: string } {
  const repo = makeRepo();
  let text = '';
  for (let i = 0; text.length < size; i++) text += `line ${i} ${'x'.repeat(i % 97)}\n`;
  writeFileSync(join(repo.dir, 'big.txt'), text);
  const id = git(repo.dir, 'hash-object', '-w', 'big.txt').trim();
  return { dir: repo.dir, id, text };
}

function readAll(args: string[], cwd: string): Promise<string> {
  const child = gitProcess(args, { cwd, env: process.env });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.resume(); // read to its end, as every caller does: 'close' comes after both
  return new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`exit ${code}`))));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));



describe('early git read from the start', () => {
  for (const [label, wait] of [['taken at once', 0], ['taken later (git waits on the pipe meanwhile)', 400]] as const) {
    it(`a 5 MB output, ${label}: every byte in order`, async () => {
      const { dir, id, text } = bigBlob(5 * 1024 * 1024);
      const used = earlyGitStats.used;
      startGitEarly(['cat-file', 'blob', id], { cwd: dir, env: process.env, read: true });
      await sleep(wait);
      // Not read whole before anyone asked: git still waits on the pipe with the rest.
      if (wait > 0) expect(spawnSync('pgrep', ['-f', `cat-file blob ${id}`]).status).toBe(0);
      const got = await readAll(['cat-file', 'blob', id], dir);
      expect(earlyGitStats.used).toBe(used + 1);
      expect(got.length).toBe(text.length);
      expect(got === text).toBe(true);
    });
  }

  it('a small output taken after git exited: replayed whole, and the caller sees close', async () => {
    const { dir, id } = bigBlob(10_000);
    startGitEarly(['cat-file', '-t', id], { cwd: dir, env: process.env, read: true });
    await sleep(300);
    expect(await readAll(['cat-file', '-t', id], dir)).toBe('blob\n');
  });

  it('`then` gets the whole output, and so does the caller that takes the process', async () => {
    const { dir, id, text } = bigBlob(3 * 1024 * 1024);
    let seen = '';
    const done = new Promise<void>((resolve) => {
      startGitEarly(['cat-file', 'blob', id], { cwd: dir, env: process.env, then: (stdout) => { seen = stdout; resolve(); } });
    });
    const got = await readAll(['cat-file', 'blob', id], dir);
    await done;
    expect(got === text).toBe(true);
    expect(seen === text).toBe(true);
  });
});
