// Hub integrity (issue 11, items 2-4) through the real parts: a real bare hub with the
// installed pre-receive (receive.denyNonFastForwards unset), the real pre-push hook of a
// clone, and `check`. Each bad shape is refused with its rule and a fix; its legitimate twin
// is accepted.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVE, alice, BAD_CASES, cleanHistory, commitAs, envFile, LOCK, mallory, planner, S, work } from './helpers/history.ts';
import { cloneAgent, git, gitTry, makeRepo, repoAt, runCli, tempDir, type Repo } from './helpers/repo.ts';

const CONFIG = 'agent-sessions.config.json';
const badMessage = BAD_CASES.find((c) => c.rule === 'message-format')!;

/** A hub seeded with a clean history (one active session, alice's) and the hook installed. */
function pinnedHub(prepare?: (seed: Repo) => void): string {
  const seed = makeRepo();
  prepare?.(seed);
  cleanHistory(seed);
  const hub = join(tempDir('as-hub-'), 'hub.git');
  git(tempDir(), 'clone', '-q', '--bare', seed.dir, hub);
  const installed = runCli(seed.dir, ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  return hub;
}

function pusher(hub: string): Repo {
  const dir = join(tempDir('as-pusher-'), 'work');
  git(tempDir(), 'clone', '-q', `file://${hub}`, dir);
  return repoAt(dir);
}

function push(repo: Repo, refspec = 'HEAD:refs/heads/main', ...flags: string[]) {
  // --no-verify: the client's hooks are skipped on purpose; the hub must catch it.
  return gitTry(repo.dir, ['push', '--no-verify', ...flags, 'origin', refspec]);
}

function setConfig(repo: Repo, change: (config: Record<string, any>) => void): void {
  const config = JSON.parse(repo.read(CONFIG)) as Record<string, any>;
  change(config);
  repo.write(CONFIG, `${JSON.stringify(config, null, 2)}\n`);
}

const allOff = (config: Record<string, any>) => {
  const ids = ['message-format', 'session-md-readonly', 'kb-canonical', 'staged-scope', 'lifecycle', 'attribution', 'protected-state', 'policy-files'];
  config.rules = Object.fromEntries(ids.map((id) => [id, 'off']));
};

const tip = (hub: string, branch = 'main') => git(hub, 'rev-parse', branch).trim();

describe('the guarded branch is protected as a branch', () => {
  const hub = pinnedHub();

  it('refuses a rewind of main (to before a claim), with the hub not set to deny non-fast-forwards', () => {
    expect(gitTry(hub, ['config', '--get', 'receive.denyNonFastForwards']).status).not.toBe(0);
    const repo = pusher(hub);
    const before = tip(hub);
    const claimCommit = repo.git('log', '-1', '--format=%H', '--grep', `^\\[${ACTIVE}\\] chore: claim`).trim();
    const result = push(repo, `+${claimCommit}^:refs/heads/main`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/remote: agent-sessions: push to refs\/heads\/main refused: rewinding or rewriting main is refused/);
    expect(result.stderr).toMatch(/remote: .*fix: rebase your commits onto the hub's main/);
    expect(tip(hub)).toBe(before);
  });

  it('refuses a rewrite of main (an amended tip, force-pushed)', () => {
    const repo = pusher(hub);
    const before = tip(hub);
    repo.git('commit', '-q', '--amend', '--no-verify', '--allow-empty', '-m', `[${ACTIVE}] feat: work on ${ACTIVE} (amended)`);
    const result = push(repo, 'HEAD:refs/heads/main', '--force');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/rewinding or rewriting main is refused/);
    expect(tip(hub)).toBe(before);
  });

  it('accepts a fast-forward of main, and a forced update of a session branch (its holder may rebase it)', () => {
    const repo = pusher(hub);
    const sha = work(repo, ACTIVE, alice);
    expect(push(repo).status).toBe(0);
    expect(tip(hub)).toBe(sha);
    repo.git('checkout', '-q', '-b', `session/${ACTIVE}`);
    work(repo, ACTIVE, alice);
    expect(push(repo, `HEAD:refs/heads/session/${ACTIVE}`).status).toBe(0);
    repo.git('reset', '-q', '--hard', 'HEAD^');
    const again = work(repo, ACTIVE, alice);
    const forced = push(repo, `HEAD:refs/heads/session/${ACTIVE}`, '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(tip(hub, `session/${ACTIVE}`)).toBe(again);
  });
});

describe('a hub whose guarded branch is master', () => {
  const hub = pinnedHub((seed) => {
    seed.git('branch', '-m', 'main', 'master');
    setConfig(seed, (c) => (c.git = { ...c.git, mainBranch: 'master' }));
    commitAs(seed, planner, '[maint] chore: guard master', [CONFIG]);
  });

  it('pins master, read from master itself', () => {
    const policy = JSON.parse(readFileSync(join(hub, 'agent-sessions', 'policy.json'), 'utf8'));
    expect(policy.branch).toBe('master');
    expect(policy.commit).toBe(tip(hub, 'master'));
    expect(policy.config.git.mainBranch).toBe('master');
  });

  it('judges pushes to master, refuses its rewind and deletion, and leaves other branches alone', () => {
    const repo = pusher(hub);
    const before = tip(hub, 'master');
    const bad = badMessage.make(repo);
    const refused = push(repo, 'HEAD:refs/heads/master');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(`${bad.slice(0, 12)} [message-format]`);
    expect(tip(hub, 'master')).toBe(before);
    // "main" is just another branch on this hub.
    expect(push(repo, 'HEAD:refs/heads/main').status).toBe(0);
    expect(push(repo, `+${before}^:refs/heads/master`).stderr).toMatch(/rewinding or rewriting master is refused/);
    expect(push(repo, ':refs/heads/master').stderr).toMatch(/deleting master is refused/);
    repo.git('reset', '-q', '--hard', before);
    const good = work(repo, ACTIVE, alice);
    expect(push(repo, 'HEAD:refs/heads/master').status).toBe(0);
    expect(tip(hub, 'master')).toBe(good);
  });

  it('--branch reads the policy from the named branch; an unknown branch is exit 2', () => {
    const ok = runCli(tempDir(), ['install-server-hook', hub, '--branch', 'master', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json.policy.branch).toBe('master');
    expect(ok.json.policy.changed).toEqual([]);
    expect(runCli(tempDir(), ['install-server-hook', hub, '--branch', 'nope']).code).toBe(2);
  });
});

describe("the hub's policy is pinned", () => {
  it('two pushes cannot switch the rules off: push 1 lands, push 2 is still judged by the pinned policy', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    setConfig(repo, allOff);
    commitAs(repo, planner, '[maint] chore: tune rules', [CONFIG]);
    const first = push(repo);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/remote: agent-sessions: accepted a change to the repository's policy \(agent-sessions\.config\.json\).*install-server-hook/);
    const bad = badMessage.make(repo);
    const second = push(repo);
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain(`${bad.slice(0, 12)} [message-format]`);
    // The admin applies the change on the hub: from then on the new policy judges.
    const repin = runCli(tempDir(), ['install-server-hook', hub, '--json']);
    expect(repin.code, repin.stderr).toBe(0);
    expect(repin.json.policy.changed).toEqual([CONFIG]);
    expect(push(repo).status).toBe(0);
    expect(tip(hub)).toBe(bad);
  });

  const nonMaint: [string, (repo: Repo) => string[]][] = [
    ['the config', (repo) => (setConfig(repo, allOff), [CONFIG])],
    ['a template override', (repo) => (repo.write(`${S}/_templates/session-env.j2`, "export SESSION_SLUG='x'\n"), [`${S}/_templates`])],
    ['a _bin wrapper', (repo) => (repo.write(`${S}/_bin/claim-session`, '#!/bin/sh\necho hi\n'), [`${S}/_bin`])],
  ];
  const hub = pinnedHub();
  for (const [what, change] of nonMaint) {
    it(`refuses a change to ${what} in a session commit (policy-files); the [maint] twin lands`, () => {
      const repo = pusher(hub);
      const before = tip(hub);
      const paths = change(repo);
      const sha = commitAs(repo, alice, `[${ACTIVE}] chore: adjust ${what}`, paths);
      const refused = push(repo);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(`${sha.slice(0, 12)} [policy-files]`);
      expect(refused.stderr).toMatch(/fix: move the policy change into its own commit `\[maint\] chore:/);
      expect(tip(hub)).toBe(before);
      repo.git('commit', '-q', '--amend', '--no-verify', '-m', `[maint] chore: adjust ${what}`);
      const accepted = push(repo);
      expect(accepted.status, accepted.stderr).toBe(0);
      expect(accepted.stderr).toMatch(/accepted a change to the repository's policy/);
    });
  }

  it('refuses a [maint] push whose config does not validate (the admin could not pin it)', () => {
    const repo = pusher(pinnedHub());
    setConfig(repo, (c) => (c.rules = { 'no-such-rule': 'off' }));
    commitAs(repo, planner, '[maint] chore: tune rules', [CONFIG]);
    const refused = push(repo);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/the pushed config does not validate: .*unknown rule id "no-such-rule"/);
  });

  it('a hub without a pinned policy accepts no branch update (fail closed), tags still pass', () => {
    const hub = pinnedHub();
    rmSync(join(hub, 'agent-sessions', 'policy.json'));
    const repo = pusher(hub);
    work(repo, ACTIVE, alice);
    const refused = push(repo);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/no readable pinned policy/);
    expect(refused.stderr).toMatch(/fix: an admin runs `agent-sessions install-server-hook /);
    repo.git('tag', 'v1');
    expect(push(repo, 'refs/tags/v1').status).toBe(0);
    expect(runCli(tempDir(), ['install-server-hook', hub]).code).toBe(0);
    expect(push(repo).status).toBe(0);
  });

  it('install-server-hook keeps the old pin when the branch holds a config that does not validate', () => {
    const hub = pinnedHub();
    const file = join(hub, 'agent-sessions', 'policy.json');
    const pinned = readFileSync(file, 'utf8');
    const repo = pusher(hub);
    setConfig(repo, (c) => (c.paths = { sessions: '../outside' }));
    commitAs(repo, planner, '[maint] chore: move sessions', [CONFIG]);
    // Bypass the hub's own check to get an invalid config onto main, as an admin could.
    git(repo.dir, 'push', '-q', '--no-verify', hub, 'HEAD:refs/heads/bypass');
    git(hub, 'update-ref', 'refs/heads/main', tip(hub, 'bypass'));
    const result = runCli(tempDir(), ['install-server-hook', hub]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/agent-sessions\.config\.json: paths\.sessions/);
    expect(readFileSync(file, 'utf8')).toBe(pinned);
  });
});

describe('check judges a range with the policy of its base', () => {
  const hub = pinnedHub();

  it('a range that switches the rules off is still judged by the base policy, and the change is its own finding', () => {
    const repo = pusher(hub);
    setConfig(repo, allOff);
    commitAs(repo, planner, '[maint] chore: tune rules', [CONFIG]);
    const bad = badMessage.make(repo);
    const result = runCli(repo.dir, ['check', '--range', 'origin/main..HEAD', '--json']);
    expect(result.code).toBe(1);
    const found = result.json.violations as { rule: string; severity: string; commit: string | null; fix: string }[];
    expect(found.find((v) => v.rule === 'message-format')?.commit).toBe(bad);
    const change = found.find((v) => v.rule === 'policy-change');
    expect(change?.severity).toBe('warn');
    expect(change?.fix).toMatch(/install-server-hook/);
  });

  it('a [maint] policy change alone passes with the warning; a range without one has no finding', () => {
    const repo = pusher(hub);
    setConfig(repo, (c) => (c.stale = { lockAgeHours: 48 }));
    commitAs(repo, planner, '[maint] chore: longer claims', [CONFIG]);
    const changed = runCli(repo.dir, ['check', '--range', 'origin/main..HEAD', '--json']);
    expect(changed.code, changed.stdout).toBe(0);
    expect(changed.json.summary.byRule).toEqual({ 'policy-change': 1 });
    const plain = pusher(hub);
    work(plain, ACTIVE, alice);
    const clean = runCli(plain.dir, ['check', '--range', 'origin/main..HEAD', '--json']);
    expect(clean.code).toBe(0);
    expect(clean.json.violations).toEqual([]);
  });
});

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
