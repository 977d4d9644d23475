// What the history walk must see, whatever git's settings: links that check out into a
// guarded folder on a case-insensitive disk (another case, the Kelvin sign that JavaScript
// folds to "k"), package.json's policy key, a root commit's changes under log.showRoot=false,
// and the message and author of a commit that changes nothing of the layout.
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE, alice, cleanHistory, commitAs, mallory, planner } from './helpers/history.ts';
import { git, makeRepo, repoAt, tempDir, type Repo } from './helpers/repo.ts';

const KELVIN = '\u212A';

let base: Repo;
let baseHead: string;

function cloneOf(repo: Repo): Repo {
  const dir = join(tempDir('as-pathspec-'), 'work');
  git(tempDir(), 'clone', '-q', repo.dir, dir);
  return repoAt(dir);
}

function linkAt(repo: Repo, path: string): string {
  symlinkSync('/etc', join(repo.dir, path));
  return commitAs(repo, alice, `[${ACTIVE}] feat: add ${path}`, [path]);
}

function violationsOf(repo: Repo, env?: NodeJS.ProcessEnv): { rule: string; commit: string; path?: string }[] {
  const result = repo.cli(['check', '--range', `${baseHead}..HEAD`, '--json'], env ? { env: { ...process.env, ...env } } : undefined);
  expect(result.json, result.stdout + result.stderr).toBeDefined();
  return result.json.violations;
}

beforeAll(() => {
  base = makeRepo();
  cleanHistory(base);
  baseHead = base.git('rev-parse', 'HEAD').trim();
});

describe('the history walk', () => {
  for (const [name, path] of [
    ['a link named like the layout folder in another case', '_agents'],
    ['a link whose name holds the Kelvin sign where the knowledge folder has "k"', `_AGENTS/${KELVIN}nowledge`],
    ['a link to the worktrees folder spelled with the Kelvin sign', `.wor${KELVIN}trees`],
  ] as const) {
    it(`still see ${name}`, () => {
      const repo = cloneOf(base);
      const sha = linkAt(repo, path);
      const hits = violationsOf(repo).filter((v) => v.rule === 'no-symlinks');
      expect(hits.map((v) => v.commit)).toEqual([sha]);
    });
  }

  // (GIT_GLOB_PATHSPECS and GIT_ICASE_PATHSPECS make other git calls refuse their plain
  // paths, so `check` stops with git-failed, exit 1: closed, not open.)
  for (const variable of ['GIT_LITERAL_PATHSPECS', 'GIT_NOGLOB_PATHSPECS']) {
    it(`mean the same with ${variable}=1 in the environment (a CI job's, a hook's)`, () => {
      const repo = cloneOf(base);
      const sha = linkAt(repo, '_AGENTS/sessions/link');
      const hits = violationsOf(repo, { [variable]: '1' }).filter((v) => v.rule === 'no-symlinks');
      expect(hits.map((v) => v.commit)).toEqual([sha]);
    });
  }

  it("judge a root commit's changes whatever the user's git config says (log.showRoot=false)", () => {
    const repo = makeRepo({ init: false });
    repo.git('checkout', '-q', '--orphan', 'adopt');
    repo.git('rm', '-rq', '--cached', '.');
    expect(repo.cli(['init', '--no-hooks']).code).toBe(0);
    symlinkSync('/etc', join(repo.dir, '_AGENTS/sessions/link'));
    const root = commitAs(repo, planner, '[maint] chore: adopt agent-sessions', ['.']);
    const global = join(tempDir('as-gitconfig-'), 'config');
    writeFileSync(global, '[log]\n\tshowRoot = false\n');
    const result = repo.cli(['check', '--all', '--json'], { env: { ...process.env, GIT_CONFIG_GLOBAL: global } });
    expect(result.json.violations.filter((v: { rule: string }) => v.rule === 'no-symlinks').map((v: { commit: string }) => v.commit), result.stdout + result.stderr).toEqual([root]);
  });

  it("still see a change to package.json's agentSessions key outside [maint]", () => {
    const repo = cloneOf(base);
    repo.write('package.json', JSON.stringify({ name: 'x', agentSessions: { rules: { attribution: 'off' } } }));
    const sha = commitAs(repo, alice, `[${ACTIVE}] chore: relax the rules`, ['package.json']);
    // The work tree may not hold the key beside agent-sessions.config.json (config found twice).
    repo.write('package.json', JSON.stringify({ name: 'x' }));
    commitAs(repo, alice, `[${ACTIVE}] chore: put the rules back`, ['package.json']);
    expect(violationsOf(repo).filter((v) => v.rule === 'policy-files').map((v) => v.commit)).toContain(sha);
  });

  it('still judge a commit that changes nothing under them by its message and author', () => {
    const repo = cloneOf(base);
    repo.write('src/deep/a/b/file.ts', 'export {};\n');
    const badAuthor = commitAs(repo, mallory, `[${ACTIVE}] feat: deep work`, ['src']);
    repo.write('src/deep/a/b/file.ts', 'export const x = 1;\n');
    const badMessage = commitAs(repo, planner, 'tweak the deep file', ['src']);
    const found = violationsOf(repo).map((v) => `${v.rule} ${v.commit}`);
    expect(found).toContain(`attribution ${badAuthor}`);
    expect(found).toContain(`message-format ${badMessage}`);
  });
});
