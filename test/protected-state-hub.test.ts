// Protected session state (issue 11, item 4) through the real parts: the attack on an active
// session's .session-env and lock line refused by the installed pre-receive of a real bare
// hub, by the client's real pre-push and by `check`; the real take-over accepted; and status
// agreeing with take-over on what is stale.
import { describe, expect, it } from 'vitest';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import { ACTIVE, alice, commitAs, envFile, LOCK, mallory, PLANNED, S, work } from './helpers/history.ts';
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

describe("lock times judged with the hub's clock and branches", () => {
  /** A take-over made by hand: the shape protected-state accepts (both files, a fresh claim time). */
  function handTakeOver(repo: Repo, claimedAt: number): string {
    repo.write(`${S}/active/${ACTIVE}/.session-env`, envFile(ACTIVE, mallory));
    repo.write(LOCK, repo.read(LOCK).replace(new RegExp(`^${ACTIVE}:\\d+$`, 'm'), `${ACTIVE}:${claimedAt}`));
    return commitAs(repo, mallory, `[${ACTIVE}] chore: take over stale session from Agent Alice`, [`${S}/active/${ACTIVE}/.session-env`, LOCK]);
  }
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it('refuses a hand-made take-over while the holder still pushes to the hub; accepts it once the branch is idle', () => {
    const hub = pinnedHub();
    const holder = pusher(hub);
    holder.git('checkout', '-q', '-b', `session/${ACTIVE}`);
    work(holder, ACTIVE, alice);
    expect(push(holder, `HEAD:refs/heads/session/${ACTIVE}`).status).toBe(0);
    const repo = pusher(hub);
    const before = tip(hub);
    handTakeOver(repo, nowSeconds());
    const refused = push(repo);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/take-over of .* refused: on the hub it is not stale/);
    expect(refused.stderr).toMatch(/fix: it becomes stale at /);
    expect(tip(hub)).toBe(before);
    // The twin: the holder's branch went quiet long ago (an old commit on top).
    const idle = pusher(hub);
    git(hub, 'update-ref', `refs/heads/session/${ACTIVE}`, commitOld(idle));
    const accepted = push(repo);
    expect(accepted.status, accepted.stderr).toBe(0);
  });

  it('refuses a claim time in the future (a line that never goes stale)', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    repo.git('mv', `${S}/planned/${PLANNED}`, `${S}/active/${PLANNED}`);
    repo.write(`${S}/active/${PLANNED}/.session-env`, envFile(PLANNED, mallory));
    repo.write(LOCK, `${repo.read(LOCK)}${PLANNED}:${nowSeconds() + 100 * 86400}\n`);
    commitAs(repo, mallory, `[${PLANNED}] chore: claim session`, [`${S}/active/${PLANNED}`, LOCK]);
    const refused = push(repo);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/lock line of .* is dated .* in the future by the hub's clock/);
    repo.write(LOCK, repo.read(LOCK).replace(new RegExp(`^${PLANNED}:\\d+$`, 'm'), `${PLANNED}:${nowSeconds()}`));
    commitAs(repo, mallory, `[${PLANNED}] chore: claim session`, [LOCK]);
    repo.git('reset', '-q', '--soft', 'HEAD~2');
    commitAs(repo, mallory, `[${PLANNED}] chore: claim session`);
    const accepted = push(repo);
    expect(accepted.status, accepted.stderr).toBe(0);
  });
});

/** A commit dated 2025-02-01 on the hub's session branch of ACTIVE (pushed as a plain object). */
function commitOld(repo: Repo): string {
  repo.git('fetch', '-q', 'origin', `session/${ACTIVE}`);
  repo.git('checkout', '-q', '-b', 'old', 'FETCH_HEAD');
  const date = '2025-02-01T00:00:00Z';
  repo.write('src/old.txt', 'old\n');
  repo.git('add', 'src/old.txt');
  const env = { GIT_AUTHOR_NAME: alice.name, GIT_AUTHOR_EMAIL: alice.email, GIT_COMMITTER_NAME: alice.name, GIT_COMMITTER_EMAIL: alice.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  expect(gitTry(repo.dir, ['commit', '-q', '--no-verify', '-m', `[${ACTIVE}] feat: old`], env).status).toBe(0);
  expect(push(repo, `HEAD:refs/heads/session/${ACTIVE}`).status).toBe(0);
  return repo.git('rev-parse', 'HEAD').trim();
}
