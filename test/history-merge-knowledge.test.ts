// kb-canonical and merges in history: a merge commit that writes canonical knowledge or
// another session's learnings is a write like any other (it used to be skipped, and the hub
// took the knowledge onto main). A `git pull` of main into a session branch stays legal: what
// it takes unchanged from one side was written by that side's own commits, judged on their own.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ACTIVE, alice, claim, commitAs, DONE, draft, planner, ready } from './helpers/history.ts';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import { gitTry, type Repo } from './helpers/repo.ts';

const K = '_AGENTS/knowledge';
const KB = 'kb-2025-01-05-merge-finished-work';
const env = { GIT_AUTHOR_NAME: alice.name, GIT_AUTHOR_EMAIL: alice.email, GIT_COMMITTER_NAME: alice.name, GIT_COMMITTER_EMAIL: alice.email };

/** A commit of the index's tree with these parents, as alice, the active session's holder. */
function mergeOf(repo: Repo, parents: string[], message: string): string {
  repo.git('add', '-A');
  const tree = repo.git('write-tree').trim();
  return execFileSync('git', ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message], { cwd: repo.dir, env: { ...process.env, ...env } })
    .toString()
    .trim();
}

function workOn(repo: Repo, file: string): string {
  repo.write(file, `${file}\n`);
  return commitAs(repo, alice, `[${ACTIVE}] feat: work on ${file}`, [file]);
}

describe('a merge commit pushed to main', () => {
  // Both parent orders: the merge is judged against the descendant parent either way.
  for (const [what, path, order] of [
    ['canonical knowledge', `${K}/guide.md`, 'old tip first'],
    ["another session's learnings", `${K}/sessions/${DONE}/learnings.md`, 'new work first'],
  ] as const) {
    it(`is refused when it writes ${what} (${order})`, () => {
      const hub = pinnedHub();
      const before = tip(hub);
      const repo = pusher(hub);
      const work = workOn(repo, 'src/a.txt');
      repo.write(path, '# written by the merge\n');
      const parents = order === 'old tip first' ? [before, work] : [work, before];
      const merge = mergeOf(repo, parents, `[${ACTIVE}] feat: merge work`);
      const result = push(repo, `${merge}:refs/heads/main`);
      expect(result.status, result.stderr).not.toBe(0);
      expect(result.stderr).toContain('[kb-canonical]');
      expect(result.stderr).toContain(path);
      expect(tip(hub)).toBe(before);
    });
  }
});

describe('a session branch that pulls main', () => {
  /** Main gains canonical knowledge (a claimed kb- session) and a completed session's
   * learnings; the session branch, forked before, writes its own learnings. */
  function diverged(): { hub: string; repo: Repo; branch: string } {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const fork = repo.git('rev-parse', 'HEAD').trim();
    draft(repo, KB);
    ready(repo, KB);
    claim(repo, KB, planner);
    repo.write(`${K}/guide.md`, '# guide\n');
    commitAs(repo, planner, `[${KB}] docs: merge the learnings of ${DONE}`, [`${K}/guide.md`]);
    repo.write(`${K}/sessions/${DONE}/learnings.md`, '- learned\n');
    commitAs(repo, alice, `[${DONE}] docs: learnings`, [`${K}/sessions/${DONE}/learnings.md`]);
    const onMain = push(repo);
    expect(onMain.status, onMain.stderr).toBe(0);
    const branch = `session/${ACTIVE}`;
    repo.git('checkout', '-q', '-b', branch, fork);
    repo.write(`${K}/sessions/${ACTIVE}/learnings.md`, '- mine\n');
    commitAs(repo, alice, `[${ACTIVE}] docs: learnings`, [`${K}/sessions/${ACTIVE}/learnings.md`]);
    return { hub, repo, branch };
  }

  it("is accepted with git's own merge message, though both sides wrote knowledge", () => {
    const { hub, repo, branch } = diverged();
    const merged = gitTry(repo.dir, ['merge', '-q', '--no-edit', '--no-verify', 'main'], env);
    expect(merged.status, merged.stderr).toBe(0);
    expect(repo.git('log', '-1', '--format=%s')).toMatch(/^Merge branch 'main'/);
    const result = push(repo, `HEAD:refs/heads/${branch}`);
    expect(result.status, result.stderr).toBe(0);
    expect(tip(hub, branch)).toBe(repo.git('rev-parse', 'HEAD').trim());
  });

  it('is refused when the merge itself adds canonical knowledge (an evil merge)', () => {
    const { hub, repo, branch } = diverged();
    gitTry(repo.dir, ['merge', '-q', '--no-commit', '--no-verify', 'main'], env);
    repo.write(`${K}/extra.md`, '# slipped in\n');
    repo.git('add', '--', `${K}/extra.md`);
    const done = gitTry(repo.dir, ['commit', '-q', '--no-verify', '--no-edit'], env);
    expect(done.status, done.stderr).toBe(0);
    const result = push(repo, `HEAD:refs/heads/${branch}`);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain('[kb-canonical]');
    expect(result.stderr).toContain(`${K}/extra.md`);
    expect(gitTry(hub, ['rev-parse', '-q', '--verify', branch]).status).not.toBe(0);
  });

  it("merged back into main with the session's own message is accepted", () => {
    const { hub, repo, branch } = diverged();
    repo.git('checkout', '-q', 'main');
    const merged = gitTry(repo.dir, ['merge', '-q', '--no-ff', '--no-verify', '-m', `[${ACTIVE}] feat: bring in the session's learnings`, branch], env);
    expect(merged.status, merged.stderr).toBe(0);
    const result = push(repo);
    expect(result.status, result.stderr).toBe(0);
    expect(tip(hub)).toBe(repo.git('rev-parse', 'HEAD').trim());
  });
});
