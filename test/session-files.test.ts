// session-files through real git: a session's commit that writes another session's files is
// refused by the hub (on main and on a session branch) and by `check`, though its hooks were
// skipped; the completion that plans a kb merge session (the protocol's one write of another
// session) is accepted by the same hub.
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVE, alice, commitAs, DONE, S } from './helpers/history.ts';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import { agents, claimIn, commitIn, plannedHub } from './helpers/lifecycle.ts';
import { git, runCli } from './helpers/repo.ts';

const PATCH = `${S}/completed/${DONE}/${DONE}.patch`;

describe("a session's commit that writes another session's files", () => {
  it('is refused by the hub on main, naming the rule, the session and the path; check says the same', () => {
    const hub = pinnedHub();
    const before = tip(hub);
    const repo = pusher(hub);
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.write(PATCH, 'rewritten by another session\n');
    const bad = commitAs(repo, alice, `[${ACTIVE}] docs: tidy the archive`, [PATCH]);
    const result = push(repo);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain(`${bad.slice(0, 12)} [session-files]`);
    expect(result.stderr).toContain(`writes the files of session ${DONE} (${PATCH})`);
    expect(tip(hub)).toBe(before);
    const check = runCli(repo.dir, ['check', '--range', `${base}..HEAD`, '--json']);
    expect(check.code).toBe(1);
    expect(check.json.violations.filter((v: { rule: string }) => v.rule === 'session-files').map((v: { commit: string; path: string }) => [v.commit, v.path])).toEqual([[bad, PATCH]]);
  });

  it("is refused on the session's own branch", () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    repo.git('checkout', '-q', '-b', `session/${ACTIVE}`);
    repo.write(PATCH, 'rewritten on the branch\n');
    const bad = commitAs(repo, alice, `[${ACTIVE}] docs: tidy the archive`, [PATCH]);
    const result = push(repo, `HEAD:refs/heads/session/${ACTIVE}`);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain(`${bad.slice(0, 12)} [session-files]`);
    expect(git(hub, 'for-each-ref', `refs/heads/session/${ACTIVE}`)).toBe('');
  });
});

describe('a completion that plans a kb merge session', () => {
  it('is accepted by the hub: the new planned kb- session is the one write of another session allowed', () => {
    const { hub, slugs } = plannedHub(1);
    expect(runCli(dirname(hub), ['install-server-hook', hub]).code).toBe(0);
    const [a] = agents(hub, 1);
    const slug = slugs[0]!;
    const c = claimIn(a!, slug);
    commitIn(c, `[${slug}] docs: record learnings`, { [`_AGENTS/knowledge/sessions/${slug}/learnings.md`]: '- a learning\n' });
    const done = a!.cli(['complete', slug, '--json']);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    const planned = git(hub, 'ls-tree', '--name-only', `main:${S}/planned/`).split('\n').filter((name) => name.startsWith('kb-'));
    expect(planned).toHaveLength(1);
  });
});
