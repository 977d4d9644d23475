// The bin starts `check`'s first git processes before the full CLI loads
// (src/check/check-early.ts, src/early-git.ts). What must hold: the walk really takes them
// (they are the calls it makes: when the walk's calls change, this test says so), every
// answer is the one the CLI gives without them (AGENT_SESSIONS_LEAN=0), over repositories of
// unusual shapes, and a process nobody takes is killed: it never outlives the command nor
// keeps it waiting.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readlinkSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alice, BAD_CASES, cleanHistory, commitAs, work, ACTIVE } from './helpers/history.ts';
import { CLI, git, makeRepo, repoAt, tempDir, type Repo } from './helpers/repo.ts';
import { earlyCheckArgs, leanArgs } from '../src/cli/lean-args.ts';

const DEBUG = { AGENT_SESSIONS_DEBUG: '1' };

const withoutDebug = (text: string) =>
  text
    .split('\n')
    // AGENT_SESSIONS_DEBUG=1 also prints an error's stack, which names the bundle it ran from.
    .filter((line) => !line.includes('[debug]') && !line.startsWith('agent-sessions: walk of') && !/^\s+at /.test(line) && !/^[A-Za-z]*Error: /.test(line))
    .join('\n');

/** git processes whose working directory is inside `dir` (Linux /proc). */
function gitsIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'git') continue;
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) found.push(pid);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Says on stderr, last, whether dist/lean-check.cjs ran the command. */
const SPY = `data:text/javascript,${encodeURIComponent(
  'import{createRequire}from"node:module";const r=createRequire("file:///lean-spy.js");process.on("exit",()=>process.stderr.write(Object.keys(r.cache).some((k)=>k.endsWith("lean-check.cjs"))?"[lean-check]":"[full]"))',
)}`;

/** The CLI on the same argv with the early start (default) and without it (AGENT_SESSIONS_LEAN=0). */
function both(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, watch = cwd) {
  const run = (extra: NodeJS.ProcessEnv) => {
    const r = spawnSync(process.execPath, ['--import', SPY, CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...DEBUG, ...env, ...extra } });
    expect(r.signal, `${args.join(' ')} timed out`).toBeNull();
    // What started early and was not taken is killed at the end: none is left behind.
    let left = gitsIn(realpathSync(watch));
    for (let i = 0; i < 20 && left.length > 0; i++) {
      sleep(50);
      left = gitsIn(realpathSync(watch));
    }
    expect(left, 'git processes left running').toEqual([]);
    const stats = /git started early (\{[^}]*\})/.exec(r.stderr)?.[1];
    const which = r.stderr.endsWith('[lean-check]') ? 'lean' : 'full';
    const stderr = withoutDebug(r.stderr.replace(/\[(lean-check|full)\]$/, ''));
    return { code: r.status, stdout: r.stdout, stderr, which, stats: stats && (JSON.parse(stats) as { started: number; used: number }) };
  };
  const early = run({});
  const full = run({ AGENT_SESSIONS_LEAN: '0' });
  expect(full.stats).toBeUndefined();
  expect(full.which).toBe('full');
  expect(early.which, 'the early path runs the check from dist/lean-check.cjs').toBe('lean');
  expect(early.code, `${args.join(' ')}: ${early.stderr}`).toBe(full.code);
  expect(early.stdout).toBe(full.stdout);
  expect(early.stderr).toBe(full.stderr);
  return early;
}

let template: string | undefined;

/**
 * A clean history with a side branch merged back (a merge the walk judges against any parent):
 * built once per file, each call a copy of it (cpSync, the package link kept as it is).
 */
function mergedHistory(): Repo {
  if (!template) {
    const repo = makeRepo();
    cleanHistory(repo);
    git(repo.dir, 'checkout', '-q', '-b', 'side', 'HEAD~3');
    repo.write('src/side.txt', 'side\n');
    commitAs(repo, alice, '[maint] chore: a side change', ['src/side.txt']);
    git(repo.dir, 'checkout', '-q', 'main');
    git(repo.dir, '-c', 'user.name=Test Planner', '-c', 'user.email=planner@example.test', 'merge', '-q', '--no-ff', '--no-verify', '-m', '[maint] chore: merge the side branch', 'side');
    work(repo, ACTIVE, alice);
    template = repo.dir;
  }
  const dir = join(tempDir('as-early-copy-'), 'work');
  cpSync(template, dir, { recursive: true, verbatimSymlinks: true });
  return repoAt(dir);
}

describe('earlyCheckArgs', () => {
  it('takes check and check --all with --json and -C/--cwd; nothing else', () => {
    expect(earlyCheckArgs(['check'])).toEqual({ verb: 'check', options: {} });
    expect(earlyCheckArgs(['-C', '/r', 'check', '--all', '--json'])).toEqual({ verb: 'check', options: { all: true, json: true, cwd: '/r' } });
    expect(earlyCheckArgs(['check', '--json', '--cwd=/s'])).toEqual({ verb: 'check', options: { json: true, cwd: '/s' } });
    for (const argv of [[], ['check', '--range', 'a..b'], ['check', '--format', 'json'], ['check', '--claims'], ['check', '--help'], ['check', 'x'], ['check', '--all=1'], ['next'], ['checks'], ['constructor'], ['check', '--toString']]) {
      expect(earlyCheckArgs(argv), JSON.stringify(argv)).toBeUndefined();
    }
    // The claim race's shapes stay where they were.
    expect(leanArgs(['check', '--all'])).toBeUndefined();
    expect(leanArgs(['next', '--json'])).toEqual({ verb: 'next', options: { json: true } });
    expect(leanArgs(['hasOwnProperty'])).toBeUndefined();
  });
});

describe('check: git started before the full CLI loads', () => {
  it('check --all: the walk takes all four (adoption search, its rev-list, cat-file, git log); same answers, clean and bad', () => {
    const repo = mergedHistory();
    const clean = both(repo.dir, ['check', '--all', '--json']);
    expect(clean.code).toBe(0);
    expect(clean.stats).toEqual({ started: 4, used: 4 });
    expect(both(repo.dir, ['check', '--all']).stats).toEqual({ started: 4, used: 4 });
    for (const bad of BAD_CASES.slice(0, 3)) {
      const sha = bad.make(repo);
      const found = both(repo.dir, ['check', '--all', '--json']);
      expect(found.code, bad.name).toBe(1);
      expect(found.stdout).toContain(sha);
      expect(found.stats).toEqual({ started: 4, used: 4 });
    }
  }, 300_000);

  it('check --all where the adoption is a merge: its rev-list leaves out only its first parent\'s history, as the walk\'s', () => {
    const repo = makeRepo();
    cleanHistory(repo);
    const bad = BAD_CASES[2]!.make(repo);
    const root = git(repo.dir, 'commit-tree', git(repo.dir, 'mktree').trim(), '-m', '[maint] chore: root').trim();
    repo.git('update-ref', 'HEAD', git(repo.dir, 'commit-tree', `${bad}^{tree}`, '-p', root, '-p', bad, '-m', '[maint] chore: merge').trim());
    const found = both(repo.dir, ['check', '--all', '--json']);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(bad);
    expect(found.stats).toEqual({ started: 4, used: 4 });
  }, 120_000);

  it('from a subfolder, with -C, in a linked worktree, on a detached HEAD and in a shallow clone', () => {
    const repo = mergedHistory();
    expect(both(join(repo.dir, 'src'), ['check', '--all', '--json']).stats).toEqual({ started: 4, used: 4 });
    const outside = tempDir('as-early-outside-');
    expect(both(outside, ['-C', repo.dir, 'check', '--all', '--json'], {}, repo.dir).stats).toEqual({ started: 4, used: 4 });
    expect(both(outside, ['check', '--json', '--cwd', join(repo.dir, 'src'), '--all'], {}, repo.dir).stats).toEqual({ started: 4, used: 4 });
    const linked = join(tempDir('as-early-wt-'), 'wt');
    git(repo.dir, 'worktree', 'add', '-q', '--detach', linked, 'HEAD~1');
    expect(both(linked, ['check', '--all', '--json']).stats).toEqual({ started: 4, used: 4 });
    git(repo.dir, 'checkout', '-q', '--detach', 'HEAD~2');
    expect(both(repo.dir, ['check', '--all', '--json']).stats).toEqual({ started: 4, used: 4 });
    git(repo.dir, 'checkout', '-q', 'main');
    const shallow = join(tempDir('as-early-shallow-'), 'clone');
    git(outside, 'clone', '-q', '--depth', '4', `file://${repo.dir}`, shallow);
    const cut = both(shallow, ['check', '--all', '--json']);
    expect(cut.stats).toEqual({ started: 4, used: 4 });
    git(outside, 'clone', '-q', '--depth', '1', `file://${repo.dir}`, `${shallow}-1`);
    both(`${shallow}-1`, ['check', '--all', '--json']);
  }, 300_000);

  it('plain check with an upstream: cat-file and the git log start early', () => {
    const repo = mergedHistory();
    const clone = join(tempDir('as-early-clone-'), 'clone');
    git(repo.dir, 'clone', '-q', repo.dir, clone);
    git(clone, 'config', 'user.name', 'Agent Alice');
    git(clone, 'config', 'user.email', 'alice@example.test');
    writeFileSync(join(clone, 'notes.txt'), 'x\n');
    git(clone, 'add', 'notes.txt');
    git(clone, 'commit', '-q', '--no-verify', '-m', 'fixed some stuff');
    const found = both(clone, ['check', '--json']);
    expect(found.code).toBe(1);
    expect(found.stats).toEqual({ started: 2, used: 2 });
    // No upstream: a usage error, and what started early is dropped.
    git(clone, 'checkout', '-q', '-b', 'loose');
    const loose = both(clone, ['check']);
    expect(loose.code).toBe(2);
    expect(loose.stats).toEqual({ started: 2, used: 0 });
  }, 300_000);

  it('unusual repositories and configs give the same answers; nothing is taken that does not match', () => {
    const outside = tempDir('as-early-outside-');
    // No layout at all: refused before the walk (its cat-file asked for the layout's folder);
    // the rest of what started early is dropped.
    const bare = makeRepo({ init: false });
    const none = both(bare.dir, ['check', '--all', '--json']);
    expect(none.code).toBe(2);
    expect(none.stats).toEqual({ started: 3, used: 1 });
    // An unborn branch.
    git(bare.dir, 'checkout', '-q', '--orphan', 'fresh');
    expect(both(bare.dir, ['check', '--all', '--json']).code).toBe(2);
    // A bare repository and GIT_DIR: not guessed, nothing starts early.
    const hub = join(tempDir('as-early-bare-'), 'hub.git');
    const repo = mergedHistory();
    git(outside, 'clone', '-q', '--bare', repo.dir, hub);
    expect(both(hub, ['check', '--all', '--json']).stats).toBeUndefined();
    expect(both(outside, ['check', '--all', '--json'], { GIT_DIR: join(repo.dir, '.git'), GIT_WORK_TREE: repo.dir }, repo.dir).stats).toBeUndefined();
    // Paths written oddly (normalised as config.ts does), in package.json, refused, or found twice.
    const odd = mergedHistory();
    const configFile = join(odd.dir, 'agent-sessions.config.json');
    writeFileSync(configFile, JSON.stringify({ paths: { sessions: './_AGENTS/sessions//', lockFile: '_AGENTS/sessions/sessions.lock/' } }));
    expect(both(odd.dir, ['check', '--all', '--json']).stats).toEqual({ started: 4, used: 4 });
    writeFileSync(configFile, JSON.stringify({ paths: { sessions: '../outside', lockFile: '/etc/passwd' } }));
    expect(both(odd.dir, ['check', '--all', '--json']).code).toBe(2);
    writeFileSync(configFile, JSON.stringify({ paths: { sessions: '-n', lockFile: ':(glob)**' } }));
    both(odd.dir, ['check', '--all', '--json']);
    writeFileSync(configFile, '{"paths": ');
    expect(both(odd.dir, ['check', '--all', '--json']).code).toBe(2);
    writeFileSync(join(odd.dir, 'package.json'), JSON.stringify({ name: 'x', agentSessions: {} }));
    expect(both(odd.dir, ['check', '--all', '--json']).code).toBe(2);
    // The config in package.json only, as config.ts reads it.
    spawnSync('rm', ['-f', configFile]);
    writeFileSync(join(odd.dir, 'package.json'), JSON.stringify({ name: 'x', agentSessions: { paths: { sessions: '_AGENTS/sessions/' } } }));
    expect(both(odd.dir, ['check', '--all', '--json']).stats).toEqual({ started: 4, used: 4 });
    // The config a symlink (not read early; the CLI reads it as always).
    const linkRepo = mergedHistory();
    writeFileSync(join(linkRepo.dir, 'elsewhere.json'), JSON.stringify({ paths: { sessions: 'other/sessions' } }));
    const linkConfig = join(linkRepo.dir, 'agent-sessions.config.json');
    spawnSync('rm', ['-f', linkConfig]);
    symlinkSync('elsewhere.json', linkConfig);
    both(linkRepo.dir, ['check', '--all', '--json']);
  }, 300_000);
});
