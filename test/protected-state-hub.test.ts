// Protected session state (issue 11, item 4) through the real parts: the attack on an active
// session's .session-env and lock line refused by the installed pre-receive of a real bare
// hub, by the client's real pre-push and by `check`; the real take-over accepted; and status
// agreeing with take-over on what is stale.
import { describe, expect, it } from 'vitest';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import { ACTIVE, alice, commitAs, envFile, LOCK, mallory, S } from './helpers/history.ts';
import { cloneAgent, git, gitTry, runCli, type Repo } from './helpers/repo.ts';

describe('protected session state', () => {
  /** The attack: a [maint] commit names someone else in .session-env and back-dates the lock line to 2001. */
  function rewriteHolder(repo: Repo): string {
    repo.write(`${S}/active/${ACTIVE}/.session-env`, envFile(ACTIVE, mallory));
    repo.write(LOCK, repo.read(LOCK).replace(new RegExp(`^${ACTIVE}:\\d+$`, 'm'), `${ACTIVE}:978307200`));
    return commitAs(repo, mallory, '[maint] chore: tidy the lock file', [`${S}/active/${ACTIVE}/.session-env`, LOCK]);
  }

  it('refuses the rewrite at the hub, at pre-push and in check, with the rule and the take-over fix', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const before = tip(hub);
    const sha = rewriteHolder(repo);
    const hubResult = push(repo);
    expect(hubResult.status).not.toBe(0);
    expect(hubResult.stderr).toContain(`${sha.slice(0, 12)} [protected-state]`);
    expect(hubResult.stderr).toMatch(/remote: .*fix: .*--take-over/);
    expect(tip(hub)).toBe(before);
    const checked = runCli(repo.dir, ['check', '--range', 'origin/main..HEAD', '--json']);
    expect(checked.code).toBe(1);
    expect((checked.json.violations as { rule: string }[]).map((v) => v.rule)).toContain('protected-state');
    // The client's own pre-push hook (installed by install-hooks) refuses it too.
    const agent = cloneAgent(hub, 'mallory');
    rewriteHolder(agent);
    const prePush = gitTry(agent.dir, ['push', 'origin', 'HEAD:refs/heads/main']);
    expect(prePush.status).not.toBe(0);
    expect(prePush.stderr).toMatch(/agent-sessions pre-push: push to main refused/);
    expect(prePush.stderr).toContain('[protected-state]');
    expect(prePush.stderr).not.toMatch(/remote:/);
  });

  it('refuses a take-over shaped commit with a back-dated claim time', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    repo.write(`${S}/active/${ACTIVE}/.session-env`, envFile(ACTIVE, mallory));
    repo.write(LOCK, repo.read(LOCK).replace(new RegExp(`^${ACTIVE}:\\d+$`, 'm'), `${ACTIVE}:978307200`));
    const sha = commitAs(repo, mallory, `[${ACTIVE}] chore: take over stale session from Agent Alice`, [`${S}/active/${ACTIVE}/.session-env`, LOCK]);
    const result = push(repo);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${sha.slice(0, 12)} [protected-state]`);
    expect(result.stderr).toMatch(/never back-dated/);
  });

  it('accepts the real take-over (claim --take-over) through the hub, and check agrees', () => {
    const hub = pinnedHub();
    const before = tip(hub);
    const carol = cloneAgent(hub, 'carol');
    const status = carol.cli(['status', '--json']);
    expect(status.json.sessions.find((s: { slug: string }) => s.slug === ACTIVE).stale).toBe(true);
    const taken = carol.cli(['claim', ACTIVE, '--take-over', '--reason', 'alice has not pushed for a year', '--json']);
    expect(taken.code, taken.stderr).toBe(0);
    expect(git(hub, 'log', '-1', '--format=%an|%s', 'main').trim()).toMatch(new RegExp(`^carol\\|\\[${ACTIVE}\\] chore: take over`));
    const checked = runCli(carol.dir, ['check', '--range', `${before}..${tip(hub)}`, '--json']);
    expect(checked.code, checked.stdout).toBe(0);
  });
});

describe('status and take-over agree on staleness', () => {
  /** A clone made before the holder pushed to its branch: its remote-tracking refs know nothing of it. */
  function holderPushes(hub: string, date: string): void {
    const holder = pusher(hub);
    holder.git('checkout', '-q', '-b', `session/${ACTIVE}`);
    repoWork(holder, date);
    expect(push(holder, `HEAD:refs/heads/session/${ACTIVE}`).status).toBe(0);
  }
  function repoWork(repo: Repo, date: string): void {
    repo.write('src/progress.txt', `${date}\n`);
    repo.git('add', 'src/progress.txt');
    const env = { GIT_AUTHOR_NAME: alice.name, GIT_AUTHOR_EMAIL: alice.email, GIT_COMMITTER_NAME: alice.name, GIT_COMMITTER_EMAIL: alice.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    expect(gitTry(repo.dir, ['commit', '-q', '--no-verify', '-m', `[${ACTIVE}] feat: progress`], env).status).toBe(0);
  }
  const staleIn = (repo: Repo) => repo.cli(['status', '--json']).json.sessions.find((s: { slug: string }) => s.slug === ACTIVE).stale === true;

  it('a holder still pushing: status (with old tracking refs) and take-over both say not stale', () => {
    const hub = pinnedHub();
    const carol = cloneAgent(hub, 'carol');
    holderPushes(hub, new Date().toISOString());
    expect(gitTry(carol.dir, ['rev-parse', '-q', '--verify', `refs/remotes/origin/session/${ACTIVE}`]).status).not.toBe(0);
    expect(staleIn(carol)).toBe(false);
    const refused = carol.cli(['claim', ACTIVE, '--take-over', '--reason', 'looks idle']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not stale/);
  });

  it('a holder idle on the hub: both say stale, and the take-over lands', () => {
    const hub = pinnedHub();
    const carol = cloneAgent(hub, 'carol');
    holderPushes(hub, '2025-02-01T00:00:00Z');
    expect(staleIn(carol)).toBe(true);
    const taken = carol.cli(['claim', ACTIVE, '--take-over', '--reason', 'idle since February']);
    expect(taken.code, taken.stderr).toBe(0);
  });
});
