// The guard table (test/guard/cases.ts) judged by the policy, and each case with an `effect`
// run by bash in a copy of a scratch repository to show what real git does with it: a blocked
// command really stages everything / skips the hooks / changes the hub's main / writes the
// frozen SESSION.md, and an allowed one really does not.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeCommand, type GuardContext } from '../src/guard/policy.ts';
import { git, gitTry, tempDir } from './helpers/repo.ts';
import { GUARD_CASES, type GuardCase } from './guard/cases.ts';

const S = '_AGENTS/sessions/active/2026-01-01-x/SESSION.md';
const base = tempDir('as-guard-table-');
const tpl = join(base, 'tpl');
const hub = join(tpl, 'hub.git');
const work = join(tpl, 'work');

function setup(): { hubMain: string; head: string } {
  mkdirSync(tpl);
  git(tpl, 'init', '-q', '--bare', '-b', 'main', hub);
  // Like a forge's hub: deleting its default branch is possible (the guard must stop it).
  git(hub, 'config', 'receive.denyDeleteCurrent', 'false');
  git(tpl, 'init', '-q', '-b', 'main', work);
  const files: Record<string, string> = {
    'a.txt': 'a\n',
    'src/a.ts': 'export {};\n',
    'docs/readme.md': '# docs\n',
    [S]: '# Plan\n',
    '_AGENTS/sessions/planned/2026-01-02-y/SESSION.md': '# Plan y\n',
    '_AGENTS/sessions/active/2026-01-01-x/worklog.md': '',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(work, path, '..'), { recursive: true });
    writeFileSync(join(work, path), text);
  }
  // Hooks that record they ran, and honour the switches our real hooks honour.
  mkdirSync(join(work, '.githooks'));
  for (const hook of ['pre-commit', 'pre-push']) {
    writeFileSync(join(work, '.githooks', hook), `#!/bin/sh\n[ "$AGENT_SESSIONS" = 0 ] && exit 0\n[ "$HUSKY" = 0 ] && exit 0\ntouch .git/ran-${hook}\nexit 0\n`);
    chmodSync(join(work, '.githooks', hook), 0o755);
  }
  git(work, 'config', 'core.hooksPath', '.githooks');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '--no-verify', '-m', 'base');
  git(work, 'remote', 'add', 'origin', hub);
  git(work, 'push', '-q', '--no-verify', '-u', 'origin', 'main');
  // Local main diverges from the hub's, so a forced push of it is visible there.
  git(work, 'commit', '-q', '--no-verify', '--amend', '-m', 'base, rewritten');
  git(work, 'checkout', '-q', '-b', 'session/2026-01-01-x');
  symlinkSync(S, join(work, 'notes-link.md'));
  linkSync(join(work, S), join(work, 'hard-link.md'));
  writeFileSync(join(work, 'a.txt'), 'a changed\n');
  writeFileSync(join(work, 'src/new.ts'), 'export const n = 1;\n');
  writeFileSync(join(work, 'docs/new.md'), 'new\n');
  writeFileSync(join(work, 'new.txt'), 'new\n');
  writeFileSync(join(work, 'list.txt'), '.\n');
  return { hubMain: git(hub, 'rev-parse', 'main').trim(), head: git(work, 'rev-parse', 'HEAD').trim() };
}
const original = setup();

const context = (root: string, sub = ''): GuardContext => ({
  cwd: join(root, sub),
  mainBranch: 'main',
  sessionsPath: '_AGENTS/sessions',
  currentBranch: (dir) => gitTry(dir ?? join(root, sub), ['symbolic-ref', '--short', '-q', 'HEAD']).stdout.trim() || undefined,
  gitAlias: (name, dir) => gitTry(dir, ['config', '--get', `alias.${name}`]).stdout.trim() || undefined,
});

let copies = 0;
/** A fresh copy of the scratch repository (and its hub), with the case's branch checked out. */
function copyFor(c: GuardCase): string {
  const dir = join(base, `case-${++copies}`);
  cpSync(tpl, dir, { recursive: true, verbatimSymlinks: true });
  const root = join(dir, 'work');
  // cpSync copies a hard link as a second file: link it again.
  rmSync(join(root, 'hard-link.md'));
  linkSync(join(root, S), join(root, 'hard-link.md'));
  const config = join(root, '.git', 'config');
  writeFileSync(config, readFileSync(config, 'utf8').replaceAll(hub, join(dir, 'hub.git')));
  if (c.branch) git(root, 'checkout', '-q', c.branch);
  if (c.effect === 'skips-hooks' || c.effect === 'runs-hooks') git(root, 'add', 'a.txt');
  return root;
}

const commandIn = (c: GuardCase, root: string) => c.command.replaceAll('{root}', root);

function effectOf(c: GuardCase, root: string): string {
  const run = spawnSync('bash', ['-c', commandIn(c, root)], { cwd: join(root, c.cwd ?? ''), input: '', encoding: 'utf8', env: { ...process.env, HOME: base }, timeout: 20_000 });
  const detail = `${run.stdout}${run.stderr}`.slice(0, 400);
  const staged = git(root, 'diff', '--cached', '--name-only').split('\n');
  const hubGit = (...args: string[]) => gitTry(join(root, '..', 'hub.git'), args);
  switch (c.effect) {
    case 'stages-all':
    case 'stages-some':
      return ['src/new.ts', 'docs/new.md', 'new.txt'].every((f) => staged.includes(f)) ? 'stages-all' : 'stages-some';
    case 'skips-hooks':
    case 'runs-hooks': {
      const pushing = /^(git (-c \S+ )*push|git send-pack)/.test(c.command);
      const made = pushing ? hubGit('rev-parse', '--verify', '-q', 'refs/heads/session/2026-01-01-x').status === 0 : git(root, 'rev-parse', 'HEAD').trim() !== original.head;
      const ran = existsSync(join(root, '.git', pushing ? 'ran-pre-push' : 'ran-pre-commit'));
      void detail;
      return made && !ran ? 'skips-hooks' : 'runs-hooks';
    }
    case 'changes-main':
    case 'keeps-main': {
      const main = hubGit('rev-parse', '--verify', '-q', 'refs/heads/main').stdout.trim();
      return main === original.hubMain ? 'keeps-main' : 'changes-main';
    }
    case 'writes-locked':
    case 'keeps-locked': {
      const path = join(root, S);
      return existsSync(path) && readFileSync(path, 'utf8') === '# Plan\n' ? 'keeps-locked' : 'writes-locked';
    }
    default:
      return 'none';
  }
}

describe('guard table', () => {
  it('has at least 100 commands, blocked and allowed', () => {
    expect(GUARD_CASES.length).toBeGreaterThanOrEqual(100);
    expect(GUARD_CASES.filter((c) => c.verdict === 'allow').length).toBeGreaterThanOrEqual(30);
    expect(new Set(GUARD_CASES.map((c) => `${c.command}@${c.cwd ?? ''}@${c.branch ?? ''}`)).size).toBe(GUARD_CASES.length);
  });

  it.each(GUARD_CASES.map((c) => [c.verdict, JSON.stringify(c.command), c] as const))('%s %s', (_v, _s, c) => {
    const root = c.effect || c.branch ? copyFor(c) : work;
    const judged = judgeCommand(commandIn(c, root), context(root, c.cwd));
    expect(judged.verdict, judged.reason).toBe(c.verdict);
    if (c.verdict === 'block') {
      expect(judged.findings.map((f) => f.id)).toContain(c.id);
      expect(judged.fix).toBeTruthy();
    }
    if (c.effect) expect(effectOf(c, root)).toBe(c.effect);
  });
});
