// maint-scope through real git: a [maint] commit that writes a session's files is refused by
// the hub's pre-receive, by `check` and by the client hooks (commit-msg, pre-push), while the
// [maint] commits the package itself asks for (init's adoption, an upgrade of _templates/ and
// _bin/) are accepted by the hub.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVE, DONE, LOCK, PLANNED, commitAs, envFile, mallory, planner, S } from './helpers/history.ts';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import { cloneAgent, git, gitTry, makeRepo, runCli, tempDir } from './helpers/repo.ts';

const MAINT = '[maint] chore: tidy the sessions';

describe('a [maint] commit pushed to the hub', () => {
  it("is refused when it edits an active session's worklog, naming the rule and the session", () => {
    const hub = pinnedHub();
    const before = tip(hub);
    const repo = pusher(hub);
    repo.write(`${S}/active/${ACTIVE}/worklog.md`, '# rewritten by a maintainer\n');
    const bad = commitAs(repo, planner, MAINT, [`${S}/active/${ACTIVE}/worklog.md`]);
    const result = push(repo);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain(`${bad.slice(0, 12)} [maint-scope]`);
    expect(result.stderr).toContain(`writes the files of session ${ACTIVE} (${S}/active/${ACTIVE}/worklog.md)`);
    expect(tip(hub)).toBe(before);
  });

  it('is refused when it renames a file out of a completed session folder, and `check` says the same', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.git('mv', `${S}/completed/${DONE}/${DONE}.patch`, 'old.patch');
    const bad = commitAs(repo, planner, MAINT);
    const result = push(repo);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain(`${bad.slice(0, 12)} [maint-scope]`);
    const check = runCli(repo.dir, ['check', '--range', `${base}..HEAD`, '--json']);
    expect(check.code).toBe(1);
    expect(check.json.violations.filter((v: { rule: string }) => v.rule === 'maint-scope').map((v: { commit: string; path: string }) => [v.commit, v.path])).toEqual([[bad, `${S}/completed/${DONE}/${DONE}.patch`]]);
  });

  it('is refused when it claims a planned session by hand (accepted before maint-scope: a claim has the right shape)', () => {
    const hub = pinnedHub();
    const before = tip(hub);
    const repo = pusher(hub);
    repo.git('mv', `${S}/planned/${PLANNED}`, `${S}/active/${PLANNED}`);
    repo.write(`${S}/active/${PLANNED}/.session-env`, envFile(PLANNED, mallory));
    repo.write(LOCK, `${repo.read(LOCK)}${PLANNED}:${Math.floor(Date.now() / 1000) - 10}\n`);
    const bad = commitAs(repo, mallory, '[maint] chore: claim for the team', [`${S}/active/${PLANNED}`, LOCK]);
    const result = push(repo);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain(`${bad.slice(0, 12)} [maint-scope]`);
    expect(result.stderr).toContain(`writes the files of session ${PLANNED}`);
    expect(tip(hub)).toBe(before);
  });

  it("is refused when it writes a session's folder under another spelling (each by the rule that owns the shape)", () => {
    const hub = pinnedHub();
    const shapes: [string, string][] = [
      [`${S}/active/${ACTIVE}/WORKLOG.md`, 'maint-scope'],
      [`${S}/ACTIVE/${ACTIVE}/worklog.md`, 'lifecycle'],
      [`_AGENTS/Sessions/active/${ACTIVE}/worklog.md`, 'case-twins'],
      [`${S}/active/${ACTIVE}./worklog.md`, 'lifecycle'],
      [`${S}/active/${ACTIVE.replace('ongoing', 'Ongoing')}/worklog.md`, 'lifecycle'],
    ];
    for (const [path, rule] of shapes) {
      const repo = pusher(hub);
      repo.write(path, 'x\n');
      const bad = commitAs(repo, planner, MAINT, [path]);
      const result = push(repo);
      expect(result.status, `${path}: ${result.stderr}`).not.toBe(0);
      expect(result.stderr, path).toContain(`${bad.slice(0, 12)} [${rule}]`);
    }
  });

  it("is accepted when it is init's adoption, then an upgrade of _templates/ and _bin/", () => {
    const plain = makeRepo({ init: false });
    const hub = join(tempDir('as-hub-'), 'hub.git');
    git(tempDir(), 'clone', '-q', '--bare', plain.dir, hub);
    const installed = runCli(plain.dir, ['install-server-hook', hub]);
    expect(installed.code, installed.stderr).toBe(0);
    const repo = pusher(hub);
    const init = repo.cli(['init']);
    expect(init.code, init.stderr).toBe(0);
    repo.git('add', '-A');
    commitAs(repo, planner, '[maint] chore: adopt agent-sessions');
    expect(repo.git('show', '--name-only', '--format=', 'HEAD')).toMatch(/_AGENTS\/sessions\/active\/\.gitkeep/);
    const adopted = push(repo);
    expect(adopted.status, adopted.stderr).toBe(0);
    repo.write(`${S}/_templates/SESSION.md.j2`, '# {{ SESSION_SLUG }}\n');
    repo.write(`${S}/_bin/claim-session`, `${repo.read(`${S}/_bin/claim-session`)}# upgraded\n`);
    commitAs(repo, planner, '[maint] chore: upgrade agent-sessions', [`${S}/_templates`, `${S}/_bin`]);
    const upgraded = push(repo);
    expect(upgraded.status, upgraded.stderr).toBe(0);
    expect(tip(hub)).toBe(repo.git('rev-parse', 'HEAD').trim());
  });
});

describe('the client hooks', () => {
  it('refuse the [maint] commit at commit-msg and, committed without hooks, at pre-push', () => {
    const hub = pinnedHub();
    const agent = cloneAgent(hub, 'maintainer');
    agent.write(`${S}/planned/2025-01-04-next-work/SESSION.md`, '# rewritten\n');
    agent.git('add', '--', S);
    const commit = gitTry(agent.dir, ['commit', '-q', '-m', MAINT]);
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toMatch(/maint-scope.*writes the files of session 2025-01-04-next-work/);
    const skipped = gitTry(agent.dir, ['commit', '-q', '--no-verify', '-m', MAINT]);
    expect(skipped.status, skipped.stderr).toBe(0);
    const pushed = gitTry(agent.dir, ['push', 'origin', 'HEAD:main']);
    expect(pushed.status).not.toBe(0);
    expect(pushed.stderr).toMatch(/agent-sessions pre-push: push to main refused[\s\S]*maint-scope/);
  });
});
