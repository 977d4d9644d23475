// The hub judges a session branch's new commits against what it has judged already: its
// guarded branch and its session branches, as they were before the push. A commit first
// parked under a ref the hub accepts unjudged (a tag, another branch, refs/notes, refs/pull)
// used to be left out (`<new> --not --all`) when it then reached session/<slug>: now it is
// judged there, whichever way it gets there (the same commit, a merge that brings it, one
// push that creates the parking ref and the session branch together).
import { describe, expect, it } from 'vitest';
import { ACTIVE, alice, commitAs, work } from './helpers/history.ts';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import { gitTry, type Repo } from './helpers/repo.ts';

const K = '_AGENTS/knowledge';
const BRANCH = `refs/heads/session/${ACTIVE}`;

/** A commit of the active session that writes canonical knowledge (kb-canonical refuses it anywhere). */
function forbidden(repo: Repo, text = 'parked'): string {
  repo.write(`${K}/guide.md`, `# ${text}\n`);
  return commitAs(repo, alice, `[${ACTIVE}] docs: write the guide`, [`${K}/guide.md`]);
}

function refused(result: ReturnType<typeof push>, bad: string): void {
  expect(result.status, result.stderr).not.toBe(0);
  expect(result.stderr).toContain(`push to ${BRANCH} refused`);
  expect(result.stderr).toContain(`${bad.slice(0, 12)} [kb-canonical]`);
}

const hasRef = (hub: string, ref: string) => gitTry(hub, ['rev-parse', '-q', '--verify', ref]).status === 0;

describe('a forbidden commit parked under a ref the hub does not judge', () => {
  for (const parking of ['refs/tags/parked', 'refs/heads/feature', 'refs/notes/parked', 'refs/pull/1/head']) {
    it(`is accepted under ${parking}, then refused when pushed to session/<slug>`, () => {
      const hub = pinnedHub();
      const repo = pusher(hub);
      const bad = forbidden(repo);
      const parked = push(repo, `${bad}:${parking}`);
      expect(parked.status, parked.stderr).toBe(0); // the policy for other refs is unchanged
      expect(tip(hub, parking)).toBe(bad);
      refused(push(repo, `${bad}:${BRANCH}`), bad);
      expect(hasRef(hub, BRANCH)).toBe(false);
    });
  }

  it('is refused when a merge on the session branch brings it', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const main = repo.git('rev-parse', 'HEAD').trim();
    const bad = forbidden(repo);
    expect(push(repo, `${bad}:refs/tags/parked`).status).toBe(0);
    repo.git('checkout', '-q', '-b', `session/${ACTIVE}`, main);
    work(repo, ACTIVE, alice);
    const merged = gitTry(repo.dir, ['merge', '-q', '--no-edit', '--no-verify', bad], { GIT_AUTHOR_NAME: alice.name, GIT_AUTHOR_EMAIL: alice.email, GIT_COMMITTER_NAME: alice.name, GIT_COMMITTER_EMAIL: alice.email });
    expect(merged.status, merged.stderr).toBe(0);
    refused(push(repo, `HEAD:${BRANCH}`), bad);
    expect(hasRef(hub, BRANCH)).toBe(false);
  });

  it('is refused when one push creates the parking ref and the session branch together', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const bad = forbidden(repo);
    const result = gitTry(repo.dir, ['push', '--no-verify', 'origin', `${bad}:refs/tags/parked`, `${bad}:refs/heads/feature`, `${bad}:${BRANCH}`]);
    refused(result, bad);
    // git applies a push's refs together or, without --atomic, each on its own: the session
    // branch is not created whatever happens to the others.
    expect(hasRef(hub, BRANCH)).toBe(false);
  });

  it('is refused on a second session branch of one push, though the first already carries it', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const bad = forbidden(repo);
    const other = 'refs/heads/session/2025-01-04-next-work';
    const result = gitTry(repo.dir, ['push', '--no-verify', 'origin', `${bad}:${other}`, `${bad}:${BRANCH}`]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`push to ${other} refused`);
    refused(result, bad);
  });

  it('leaves out what a session branch on the hub holds already: only the new commits are judged', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    // A session branch the hub holds unjudged (made before the hook was installed; here by
    // the admin, on the hub itself): what it holds counts as judged, what is pushed on top not.
    const old = forbidden(repo);
    expect(push(repo, `${old}:refs/tags/carrier`).status).toBe(0);
    gitTry(hub, ['update-ref', BRANCH, old]);
    gitTry(hub, ['update-ref', '-d', 'refs/tags/carrier']);
    work(repo, ACTIVE, alice);
    const good = push(repo, `HEAD:${BRANCH}`);
    expect(good.status, good.stderr).toBe(0);
    expect(tip(hub, BRANCH)).toBe(repo.git('rev-parse', 'HEAD').trim());
    const bad = forbidden(repo, 'on top');
    refused(push(repo, `HEAD:${BRANCH}`), bad);
  });
});
