// Hub integrity (issue 11, items 2 and 3) through the real parts: a real bare hub with the
// installed pre-receive (receive.denyNonFastForwards unset) and `check`. Each bad shape is
// refused with its rule and a fix; its legitimate twin is accepted.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allOff, badMessage, CONFIG, pinnedHub, push, pusher, setConfig, tip } from './helpers/hub.ts';
import { ACTIVE, alice, commitAs, planner, S, work } from './helpers/history.ts';
import { git, gitTry, makeRepo, runCli, tempDir, type Repo } from './helpers/repo.ts';

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

  it('a range that adopts the protocol with its own paths is judged by the policy it brings', () => {
    const repo = makeRepo({ init: false });
    const before = repo.git('rev-parse', 'HEAD').trim();
    repo.write(CONFIG, `${JSON.stringify({ paths: { sessions: 'agents/sessions' } })}\n`);
    expect(repo.cli(['init']).code).toBe(0);
    repo.git('add', '-A');
    commitAs(repo, planner, '[maint] chore: adopt agent-sessions');
    const slug = '2025-03-01-custom-paths';
    repo.write(`agents/sessions/drafting/${slug}/SESSION.md`, `# ${slug}\n`);
    commitAs(repo, planner, `[${slug}] docs: draft session`, ['agents/sessions']);
    const result = runCli(repo.dir, ['check', '--range', `${before}..HEAD`, '--json']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.json.summary.byRule).toEqual({ 'policy-change': 1 });
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
