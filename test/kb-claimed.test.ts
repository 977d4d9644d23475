// kb-canonical needs the kb- session CLAIMED: a `[kb-...]` header is no right to write the
// canonical knowledge base while that session is only planned, or does not exist at all. The
// legitimate path still passes end to end through the real CLI, hooks and a hub with our
// pre-receive: claim the kb- session, commit knowledge in its worktree, push its branch,
// `git pull` main into it, complete it (the squash onto main, whose parent has it active).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alice, commitAs, draft, envFile, LOCK, mallory, planner, ready } from './helpers/history.ts';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import { agents, claimIn, plannedHub, S } from './helpers/lifecycle.ts';
import { git, gitTry, runCli, type Repo } from './helpers/repo.ts';

const K = '_AGENTS/knowledge';
const KB = 'kb-2025-01-06-merge-the-guides';

/** Writes canonical knowledge and commits it as `[slug]`, hooks skipped. */
function writeGuide(repo: Repo, slug: string, who = planner): string {
  repo.write(`${K}/guide.md`, `# guide by ${slug}\n`);
  return commitAs(repo, who, `[${slug}] docs: write the guide`, [`${K}/guide.md`]);
}

describe('a [kb-...] commit that writes canonical knowledge, pushed to the hub', () => {
  it('is refused while the kb- session is only planned (never claimed), naming the claim to make', () => {
    const hub = pinnedHub();
    const before = tip(hub);
    const repo = pusher(hub);
    draft(repo, KB);
    ready(repo, KB);
    const bad = writeGuide(repo, KB);
    const result = push(repo);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain(`${bad.slice(0, 12)} [kb-canonical]`);
    expect(result.stderr).toContain(`kb- session ${KB} writes canonical knowledge (${K}/guide.md) but is planned in its parent, not active`);
    expect(result.stderr).toContain(`agent-sessions claim ${KB}`);
    expect(tip(hub)).toBe(before);
  });

  it('is refused when no kb- session of that name exists, on main and on a session branch', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const bad = writeGuide(repo, KB);
    for (const ref of ['refs/heads/main', `refs/heads/session/${KB}`]) {
      const result = push(repo, `HEAD:${ref}`);
      expect(result.status, result.stderr).not.toBe(0);
      expect(result.stderr).toContain(`${bad.slice(0, 12)} [kb-canonical]`);
      expect(result.stderr).toContain('but does not exist in its parent');
    }
  });

  it('claimed on a session branch only, is accepted there but refused when it reaches main', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    draft(repo, KB);
    ready(repo, KB);
    expect(push(repo).status).toBe(0);
    const main = tip(hub);
    // A claim made on the branch alone (never pushed to main, so the hub's main has KB planned):
    // the branch's own commits are judged by its tree, where KB is active.
    repo.git('checkout', '-q', '-b', `session/${KB}`);
    repo.git('mv', `${S}/planned/${KB}`, `${S}/active/${KB}`);
    repo.write(`${S}/active/${KB}/.session-env`, envFile(KB, mallory));
    repo.write(LOCK, `${repo.read(LOCK)}${KB}:${Math.floor(Date.now() / 1000) - 10}\n`);
    commitAs(repo, mallory, `[${KB}] chore: claim session`, [`${S}/active/${KB}`, LOCK]);
    const guide = writeGuide(repo, KB, mallory);
    expect(push(repo, `HEAD:refs/heads/session/${KB}`).status).toBe(0);
    // The knowledge alone onto main, where KB was never claimed: refused.
    repo.git('checkout', '-q', 'main');
    expect(gitTry(repo.dir, ['cherry-pick', guide]).status).toBe(0);
    const result = push(repo);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain('[kb-canonical]');
    expect(result.stderr).toContain('but is planned in its parent, not active');
    expect(tip(hub)).toBe(main);
  });

  it('is accepted once the kb- session is claimed (active in the parent)', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    draft(repo, KB);
    ready(repo, KB);
    repo.git('mv', `${S}/planned/${KB}`, `${S}/active/${KB}`);
    repo.write(`${S}/active/${KB}/.session-env`, `export SESSION_SLUG='${KB}'\nexport GIT_AUTHOR_NAME='${alice.name}'\nexport GIT_AUTHOR_EMAIL='${alice.email}'\n`);
    repo.write(LOCK, `${repo.read(LOCK)}${KB}:${Math.floor(Date.now() / 1000) - 60}\n`);
    commitAs(repo, alice, `[${KB}] chore: claim session`, [`${S}/active/${KB}`, LOCK]);
    const good = writeGuide(repo, KB, alice);
    const result = push(repo);
    expect(result.status, result.stderr).toBe(0);
    expect(tip(hub)).toBe(good);
  });
});

describe('a kb- session through the CLI', () => {
  function commitIn(dir: string, env: NodeJS.ProcessEnv, message: string, files: Record<string, string>) {
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
    git(dir, 'add', '--', ...Object.keys(files));
    return gitTry(dir, ['commit', '-q', '-m', message], env);
  }

  it('writes canonical knowledge only once claimed: commit hook, branch push, pull of main and completion all pass', () => {
    const other = '2025-01-01-task-1';
    const { hub, planner: plan } = plannedHub(2, [other, KB]);
    const installed = runCli(plan.dir, ['install-server-hook', hub]);
    expect(installed.code, installed.stderr).toBe(0);
    const [a, b] = agents(hub, 2);

    // Before the claim: the pre-commit hook refuses it, with the claim to make.
    const early = commitIn(a!.dir, { SESSION_SLUG: KB }, `[${KB}] docs: the guide`, { [`${K}/guide.md`]: '# too early\n' });
    expect(early.status).not.toBe(0);
    expect(early.stderr).toContain('kb-canonical');
    expect(early.stderr).toContain(`but is planned on HEAD, not active`);
    expect(early.stderr).toContain(`agent-sessions claim ${KB}`);
    git(a!.dir, 'reset', '-q', '--hard', 'HEAD');

    const c = claimIn(a!, KB);
    const wrote = commitIn(c.wt, c.env, `[${KB}] docs: merge the guides`, { [`${K}/guide.md`]: '# guide\n' });
    expect(wrote.status, wrote.stderr).toBe(0);
    const branch = gitTry(c.wt, ['push', '-q', 'origin', `session/${KB}`], c.env);
    expect(branch.status, branch.stderr).toBe(0);

    // Main moves under it (another session claimed); the kb- branch pulls main with git's merge.
    claimIn(b!, other);
    git(c.wt, 'fetch', '-q', 'origin');
    const pulled = gitTry(c.wt, ['merge', '-q', '--no-edit', 'origin/main'], c.env);
    expect(pulled.status, pulled.stderr).toBe(0);
    const again = gitTry(c.wt, ['push', '-q', 'origin', `session/${KB}`], c.env);
    expect(again.status, again.stderr).toBe(0);

    const done = a!.cli(['complete', KB, '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(git(hub, 'show', `main:${K}/guide.md`)).toBe('# guide\n');
    expect(git(hub, 'ls-tree', '--name-only', `main:${S}/completed`)).toContain(KB);
  });
});
