// The hub's pre-receive starts through a loader that compiles the runner with V8's code cache
// (src/hooks/server-loader.ts). What must hold: install-server-hook leaves a cache made from
// the runner it copied; a cache that does not match the runner (another runner, damaged data)
// is never used as code and is remade; the verdicts are the runner's either way; the wrapper
// starts Node without the certificate bundle it never uses.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVE, alice, BAD_CASES, cleanHistory, work } from './helpers/history.ts';
import { git, gitTry, makeRepo, runCli, tempDir } from './helpers/repo.ts';

function hubWithHook(): { hub: string; runner: string; cache: string } {
  const hub = join(tempDir('as-loader-'), 'hub.git');
  git(tempDir(), 'init', '-q', '--bare', '-b', 'main', hub);
  const installed = runCli(tempDir(), ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  const runner = join(hub, 'hooks', 'agent-sessions-hook.cjs');
  return { hub, runner, cache: `${runner}.v8cache` };
}

/** The runner a cache was made from: the bytes after its first line, as long as that line says. */
function cachedRunner(cache: string): Buffer {
  const data = readFileSync(cache);
  const eol = data.indexOf(0x0a);
  const header = /^agent-sessions v8cache (\d+)$/.exec(data.toString('latin1', 0, eol));
  if (!header) throw new Error(`not a cache: ${data.toString('latin1', 0, 60)}`);
  return data.subarray(eol + 1, eol + 1 + Number(header[1]));
}
const header = (runner: string) => `agent-sessions v8cache ${readFileSync(runner).length}\n`;

describe('the hub runner through its loader', () => {
  it('install-server-hook makes the cache of the runner it copied; the wrapper runs the loader without NODE_EXTRA_CA_CERTS', () => {
    const { hub, runner, cache } = hubWithHook();
    expect(cachedRunner(cache).equals(readFileSync(runner))).toBe(true);
    const wrapper = readFileSync(join(hub, 'hooks', 'pre-receive'), 'utf8');
    expect(wrapper).toContain('agent-sessions-hook-loader.cjs');
    expect(wrapper).toMatch(/^unset NODE_EXTRA_CA_CERTS$/m);
    // A bundle Node cannot read would print a warning to the pusher if the hook kept it.
    const seed = makeRepo();
    cleanHistory(seed);
    const pushed = gitTry(seed.dir, ['push', '--no-verify', hub, 'main'], { NODE_EXTRA_CA_CERTS: join(tempDir(), 'no-such-bundle.pem') });
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr).not.toMatch(/extra certs/i);
  }, 120_000);

  it('the cache install-server-hook made is used by the pushes that follow, not made again each time', () => {
    const { hub, cache } = hubWithHook();
    const made = statSync(cache).ino;
    const seed = makeRepo();
    cleanHistory(seed);
    for (const round of [1, 2]) {
      if (round === 2) work(seed, ACTIVE, alice);
      const pushed = gitTry(seed.dir, ['push', '--no-verify', hub, 'main']);
      expect(pushed.status, pushed.stderr).toBe(0);
      // A refused cache is written again through a new file renamed into place: a new inode.
      expect(statSync(cache).ino, `push ${round} remade the cache`).toBe(made);
    }
  }, 120_000);

  it('a damaged cache is refused, the push judged as ever, and the cache made again', () => {
    const { hub, runner, cache } = hubWithHook();
    writeFileSync(cache, Buffer.concat([Buffer.from(header(runner)), readFileSync(runner), Buffer.alloc(4096, 0x41)]));
    const repo = makeRepo();
    cleanHistory(repo);
    const bad = BAD_CASES[0]!.make(repo);
    const refused = gitTry(repo.dir, ['push', '--no-verify', hub, 'main']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(bad.slice(0, 12));
    expect(refused.stderr).toContain('[message-format]');
    const remade = readFileSync(cache);
    expect(remade.subarray(-4096).equals(Buffer.alloc(4096, 0x41))).toBe(false);
    expect(cachedRunner(cache).equals(readFileSync(runner))).toBe(true);
  }, 120_000);

  it("a cache made from another runner of the same length is not used as this runner's code (V8 itself checks only the length)", () => {
    const { hub, runner, cache } = hubWithHook();
    const before = cachedRunner(cache);
    // Another runner, byte for byte as long (as after an upgrade copied by hand).
    const text = readFileSync(runner, 'utf8');
    expect(text).toContain('hook runner started');
    writeFileSync(runner, text.replace('hook runner started', 'HOOK RUNNER STARTED'));
    const seed = makeRepo();
    cleanHistory(seed);
    const pushed = gitTry(seed.dir, ['push', '--no-verify', hub, 'main'], { AGENT_SESSIONS_DEBUG: '1' });
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain('HOOK RUNNER STARTED');
    expect(cachedRunner(cache).equals(readFileSync(runner))).toBe(true);
    expect(cachedRunner(cache).equals(before)).toBe(false);
  }, 120_000);

  it("a cache whose V8 data is damaged on disk (the runner's copy intact) is refused and made again, never run (found by review)", () => {
    // Unchecked, V8 took such data as code: a native crash, a segfault, a clean push refused as
    // "failed internally", or a hang, on every push until someone deleted the file.
    for (const offset of [24, 1000, 20_000]) {
      const { hub, runner, cache } = hubWithHook();
      const data = readFileSync(cache);
      const codeStart = header(runner).length + readFileSync(runner).length;
      expect(data.length).toBeGreaterThan(codeStart + offset);
      data[codeStart + offset] = data[codeStart + offset]! ^ 0xff;
      writeFileSync(cache, data);
      const seed = makeRepo();
      cleanHistory(seed);
      const pushed = gitTry(seed.dir, ['push', '--no-verify', hub, 'main']);
      expect(pushed.status, `offset ${offset}: ${pushed.stderr}`).toBe(0);
      expect(pushed.stderr).not.toMatch(/fatal|internal|Segmentation/i);
      expect(readFileSync(cache).equals(data), `offset ${offset}: the damaged cache was kept`).toBe(false);
      expect(cachedRunner(cache).equals(readFileSync(runner))).toBe(true);
    }
  }, 120_000);
});
