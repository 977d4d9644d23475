// History judged completely (docs/rules.md): root commits are judged against the empty tree,
// and a merge onto main is judged against each parent already on main, so what it brings in
// from the other side must be legal when it lands, whatever the parent order. Each shape goes
// through the real pre-push hook (a real `git push`), a real bare hub with the installed
// pre-receive, and `check --range`; each attack has a legitimate twin that passes all three.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alice, ACTIVE, claim, cleanHistory, commitAs, mallory, PLANNED, planner, S, sessionMd, type Who } from './helpers/history.ts';
import { git, gitTry, HOOK_RUNNER, makeRepo, repoAt, runCli, tempDir, type Repo } from './helpers/repo.ts';

let seed: Repo;

beforeAll(() => {
  seed = makeRepo();
  cleanHistory(seed);
});

/** A fresh bare hub seeded from the clean history, with the pre-receive installed. */
function makeGuardedHub(): string {
  const hub = join(tempDir('as-hub-'), 'hub.git');
  git(tempDir(), 'clone', '-q', '--bare', seed.dir, hub);
  const installed = runCli(seed.dir, ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  return hub;
}

/** A clone of the hub whose only hook is our pre-push (the bundled runner, as husky calls it). */
function cloneWithPrePush(hub: string): Repo {
  const dir = join(tempDir('as-complete-'), 'work');
  git(tempDir(), 'clone', '-q', hub, dir);
  const hooks = join(dir, '.git', 'test-hooks');
  mkdirSync(hooks, { recursive: true });
  writeFileSync(join(hooks, 'pre-push'), `#!/bin/sh\nexec node ${JSON.stringify(HOOK_RUNNER)} pre-push "$@"\n`);
  chmodSync(join(hooks, 'pre-push'), 0o755);
  git(dir, 'config', 'core.hooksPath', hooks);
  return repoAt(dir);
}

const asEnv = (who: Who) => ({ GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email });

function commitTree(repo: Repo, who: Who, tree: string, parents: string[], message: string): string {
  const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message];
  const result = gitTry(repo.dir, args, asEnv(who));
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

function merge(repo: Repo, who: Who, other: string, message: string): void {
  const result = gitTry(repo.dir, ['merge', '-q', '--no-ff', '--no-verify', '-m', message, other], asEnv(who));
  if (result.status !== 0) throw new Error(`merge failed: ${result.stdout}${result.stderr}`);
}

interface Verdicts {
  check: { code: number; rules: string[] };
  prePush: { status: number; stderr: string };
  hub: { status: number; stderr: string };
}

/** Judges `tip` (bound for main) by check --range, a real push through pre-push, and the hub. */
function judgeEverywhere(repo: Repo, hub: string, tip: string): Verdicts {
  const old = git(hub, 'rev-parse', 'main').trim();
  const checked = repo.cli(['check', '--range', `${old}..${tip}`, '--json']);
  const prePush = gitTry(repo.dir, ['push', 'origin', `${tip}:refs/heads/main`]);
  const hubPush = gitTry(repo.dir, ['push', '--no-verify', 'origin', `${tip}:refs/heads/main`]);
  return {
    check: { code: checked.code, rules: (checked.json?.violations ?? []).map((v: { rule: string; commit: string }) => `${v.rule} ${v.commit}`) },
    prePush: { status: prePush.status ?? -1, stderr: prePush.stderr },
    hub: { status: hubPush.status ?? -1, stderr: hubPush.stderr },
  };
}

function expectRefused(verdicts: Verdicts, hub: string, old: string, rule: string, commit: string): void {
  expect(verdicts.check.code, JSON.stringify(verdicts.check)).toBe(1);
  expect(verdicts.check.rules).toContain(`${rule} ${commit}`);
  expect(verdicts.prePush.status, verdicts.prePush.stderr).not.toBe(0);
  expect(verdicts.prePush.stderr).toContain(`${commit.slice(0, 12)} [${rule}]`);
  expect(verdicts.prePush.stderr).toMatch(/fix: /);
  expect(verdicts.hub.status, verdicts.hub.stderr).not.toBe(0);
  expect(verdicts.hub.stderr).toMatch(/remote: .*refused/);
  expect(verdicts.hub.stderr).toContain(`${commit.slice(0, 12)} [${rule}]`);
  expect(verdicts.hub.stderr).toMatch(/remote: .*fix: /);
  expect(git(hub, 'rev-parse', 'main').trim()).toBe(old);
}

function expectAccepted(verdicts: Verdicts, hub: string, tip: string): void {
  expect(verdicts.check.code, JSON.stringify(verdicts.check)).toBe(0);
  expect(verdicts.prePush.status, verdicts.prePush.stderr).toBe(0);
  expect(git(hub, 'rev-parse', 'main').trim()).toBe(tip);
}

/** The tree of HEAD with one file's content replaced (the work tree is left as it was). */
function treeWith(repo: Repo, path: string, content: string): string {
  const index = join(tempDir(), 'index');
  const env = { GIT_INDEX_FILE: index };
  expect(gitTry(repo.dir, ['read-tree', 'HEAD'], env).status).toBe(0);
  const id = spawnHash(repo, content);
  expect(gitTry(repo.dir, ['update-index', '--add', '--cacheinfo', `100644,${id},${path}`], env).status).toBe(0);
  return gitTry(repo.dir, ['write-tree'], env).stdout.trim();
}

function spawnHash(repo: Repo, content: string): string {
  const file = join(tempDir(), 'content');
  writeFileSync(file, content);
  return git(repo.dir, 'hash-object', '-w', file).trim();
}

describe('a root commit carrying a tree in', () => {
  for (const order of ['root first', 'main first'] as const) {
    it(`is refused when merged with ${order === 'root first' ? 'the root as first parent' : 'main as first parent'}`, () => {
      const hub = makeGuardedHub();
      const repo = cloneWithPrePush(hub);
      const old = repo.git('rev-parse', 'HEAD').trim();
      const path = `${S}/active/${ACTIVE}/SESSION.md`;
      const tree = treeWith(repo, path, `${sessionMd(ACTIVE)}- and the scope doubled\n`);
      const root = commitTree(repo, mallory, tree, [], '[maint] chore: import history');
      const parents = order === 'root first' ? [root, old] : [old, root];
      const tip = commitTree(repo, mallory, tree, parents, '[maint] chore: merge the imported history');
      const verdicts = judgeEverywhere(repo, hub, tip);
      // The merge changes an active session's SESSION.md against main, whichever side main is on.
      expectRefused(verdicts, hub, old, 'session-md-readonly', tip);
      // The root itself is judged against the empty tree: sessions born outside drafting/.
      expect(verdicts.check.rules).toContain(`lifecycle ${root}`);
    });
  }

  it('its legitimate twin passes: an unrelated root (a docs import) merged either way round', () => {
    for (const order of ['root first', 'main first'] as const) {
      const hub = makeGuardedHub();
      const repo = cloneWithPrePush(hub);
      const old = repo.git('rev-parse', 'HEAD').trim();
      const docs = treeWith(repo, 'docs/imported.md', '# imported\n');
      // A root whose tree is only the imported docs (no sessions layout of its own).
      const index = join(tempDir(), 'index');
      const id = spawnHash(repo, '# imported\n');
      gitTry(repo.dir, ['update-index', '--add', '--cacheinfo', `100644,${id},imported.md`], { GIT_INDEX_FILE: index });
      const rootTree = gitTry(repo.dir, ['write-tree'], { GIT_INDEX_FILE: index }).stdout.trim();
      const root = commitTree(repo, planner, rootTree, [], '[maint] docs: import the old manual');
      const parents = order === 'root first' ? [root, old] : [old, root];
      const tip = commitTree(repo, planner, docs, parents, '[maint] docs: merge the old manual');
      expectAccepted(judgeEverywhere(repo, hub, tip), hub, tip);
    }
  });
});

describe('a pull merge onto a claimed session', () => {
  /** The planner's clone edits PLANNED's SESSION.md while alice claims it on the hub. */
  function race(hub: string, planned: (repo: Repo) => void): { repo: Repo; old: string } {
    const repo = cloneWithPrePush(hub);
    planned(repo);
    const agent = repoAt(join(tempDir('as-agent-'), 'work'));
    git(tempDir(), 'clone', '-q', hub, agent.dir);
    claim(agent, PLANNED, alice);
    expect(gitTry(agent.dir, ['push', '-q', '--no-verify', 'origin', 'HEAD:main']).status).toBe(0);
    repo.git('fetch', '-q', 'origin');
    return { repo, old: git(hub, 'rev-parse', 'main').trim() };
  }
  const editPlan = (repo: Repo) => {
    repo.write(`${S}/planned/${PLANNED}/SESSION.md`, `${sessionMd(PLANNED)}- and also rewrite the billing system\n`);
    commitAs(repo, planner, `[${PLANNED}] docs: sharpen the plan`, [`${S}/planned/${PLANNED}/SESSION.md`]);
  };
  const unrelated = (repo: Repo) => {
    repo.write('docs/notes.md', '# notes\n');
    commitAs(repo, planner, '[maint] docs: add notes', ['docs/notes.md']);
  };

  it('is refused in the "wrong" order (first parent the stale edit), reworded as [maint]', () => {
    const hub = makeGuardedHub();
    const { repo, old } = race(hub, editPlan);
    merge(repo, planner, 'origin/main', '[maint] chore: sync with main');
    const tip = repo.git('rev-parse', 'HEAD').trim();
    // git carried the edit over the claim's move: the ACTIVE session's SESSION.md differs.
    expect(repo.read(`${S}/active/${PLANNED}/SESSION.md`)).toMatch(/billing/);
    expectRefused(judgeEverywhere(repo, hub, tip), hub, old, 'session-md-readonly', tip);
  });

  it('is refused in the usual order too (first parent main)', () => {
    const hub = makeGuardedHub();
    const { repo, old } = race(hub, editPlan);
    const edit = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', '--detach', 'origin/main');
    merge(repo, planner, edit, '[maint] chore: bring in the plan edit');
    const tip = repo.git('rev-parse', 'HEAD').trim();
    expectRefused(judgeEverywhere(repo, hub, tip), hub, old, 'session-md-readonly', tip);
  });

  it('is refused when main is reached through a new commit on top of it (no parent is the old tip)', () => {
    const hub = makeGuardedHub();
    const { repo, old } = race(hub, editPlan);
    const edit = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', '--detach', 'origin/main');
    repo.write('docs/other.md', 'x\n');
    const onTop = commitAs(repo, planner, '[maint] docs: other', ['docs/other.md']);
    repo.git('checkout', '-q', '--detach', edit);
    merge(repo, planner, onTop, '[maint] chore: sync with main');
    const tip = repo.git('rev-parse', 'HEAD').trim();
    expectRefused(judgeEverywhere(repo, hub, tip), hub, old, 'session-md-readonly', tip);
  });

  it('is refused as an octopus merge of the stale edit and two new commits on top of main', () => {
    const hub = makeGuardedHub();
    const { repo, old } = race(hub, editPlan);
    const edit = repo.git('rev-parse', 'HEAD').trim();
    const onTop = (file: string) => {
      repo.git('checkout', '-q', '--detach', 'origin/main');
      repo.write(file, `${file}\n`);
      return commitAs(repo, planner, `[maint] docs: ${file}`, [file]);
    };
    const one = onTop('docs/one.md');
    const two = onTop('docs/two.md');
    // git's octopus strategy gives up on the moved SESSION.md: the tree of a two-way merge
    // plus the third side's file, committed with three parents (what a hand-made octopus is).
    repo.git('checkout', '-q', '--detach', edit);
    merge(repo, planner, one, '[maint] chore: sync');
    const tree = treeWith(repo, 'docs/two.md', 'docs/two.md\n');
    const tip = commitTree(repo, planner, tree, [edit, one, two], '[maint] chore: sync with main');
    expect(repo.git('rev-list', '--parents', '-n', '1', tip).trim().split(' ')).toHaveLength(4);
    expectRefused(judgeEverywhere(repo, hub, tip), hub, old, 'session-md-readonly', tip);
  });

  for (const order of ['pull (first parent local work)', 'merge into main (first parent main)'] as const) {
    it(`its legitimate twin passes: unrelated work merged by ${order}`, () => {
      const hub = makeGuardedHub();
      const { repo } = race(hub, unrelated);
      if (order.startsWith('pull')) merge(repo, planner, 'origin/main', '[maint] chore: sync with main');
      else {
        const work = repo.git('rev-parse', 'HEAD').trim();
        repo.git('checkout', '-q', '--detach', 'origin/main');
        merge(repo, planner, work, '[maint] chore: bring in the notes');
      }
      const tip = repo.git('rev-parse', 'HEAD').trim();
      expectAccepted(judgeEverywhere(repo, hub, tip), hub, tip);
    });
  }
});
