// Entries that git holds apart from the layout but a checkout puts on it (or empties): a
// gitlink with the id of the file it replaces (regular-files, session-md-readonly), and a path
// that names a layout path in other letter case (case-twins). Each was pushed to a hub that
// accepted it. One hub for all: a refused push leaves it as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE, alice, commitAs, LOCK, PLANNED, S } from './helpers/history.ts';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import type { Repo } from './helpers/repo.ts';

let hub: string;
let repo: Repo;
let before: string;

beforeAll(() => {
  hub = pinnedHub();
  before = tip(hub);
  repo = pusher(hub);
}, 120_000);

/** Back to the hub's main with a clean index and work tree. */
function reset(): void {
  repo.git('reset', '-q', '--hard', before);
  repo.git('clean', '-q', '-fdx');
}

function refused(rule: string, path: string): void {
  const result = push(repo);
  expect(result.status, result.stderr).not.toBe(0);
  expect(result.stderr).toContain(`[${rule}]`);
  expect(result.stderr).toContain(path);
  expect(tip(hub)).toBe(before);
}

describe('a gitlink with the id of the file it replaces', () => {
  for (const [what, path, rules] of [
    ["an active session's SESSION.md", `${S}/active/${ACTIVE}/SESSION.md`, ['regular-files', 'session-md-readonly']],
    ['the lock file', LOCK, ['regular-files']],
  ] as const) {
    it(`is refused as ${what}`, () => {
      reset();
      const id = repo.git('rev-parse', `HEAD:${path}`).trim();
      repo.git('rm', '-q', '--cached', '--', path);
      repo.git('update-index', '--add', '--cacheinfo', `160000,${id},${path}`);
      commitAs(repo, alice, `[${ACTIVE}] chore: tidy`);
      const result = push(repo);
      expect(result.status, result.stderr).not.toBe(0);
      for (const rule of rules) expect(result.stderr).toContain(`[${rule}]`);
      expect(tip(hub)).toBe(before);
    });
  }
});

describe('a path that names a layout path in other letter case', () => {
  for (const path of ['_AGENTS/Knowledge/guide.md', `_AGENTS/Sessions/active/${PLANNED}/SESSION.md`, `${S}/SESSIONS.LOCK`, `${S}/active/${ACTIVE}/session.md`]) {
    it(`is refused: ${path}`, () => {
      reset();
      repo.write(path, 'x\n');
      repo.git('add', '-f', '--', path);
      commitAs(repo, alice, `[${ACTIVE}] chore: add a file`);
      refused('case-twins', path);
    });
  }

  it('leaves the exact names alone', () => {
    reset();
    repo.write(`_AGENTS/knowledge/sessions/${ACTIVE}/learnings.md`, '- learned\n');
    commitAs(repo, alice, `[${ACTIVE}] docs: learnings`, [`_AGENTS/knowledge/sessions/${ACTIVE}/learnings.md`]);
    const result = push(repo);
    expect(result.status, result.stderr).toBe(0);
    before = tip(hub);
  });
});
