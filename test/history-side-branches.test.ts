// Side branches walked after main moved on (main's line is the shorter one, so it is walked
// first): each commit is judged against its own parent's sessions, whatever state the walk's
// model stood at; merges judged against their second parent alone; the end tree of a range
// whose last commit is such a merge. (The adversarial reviews of a shortcut that judged these
// commits without moving the model, since removed, found these shapes.)
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { walkHistory } from '../src/engine/facts-history.ts';
import { ACTIVE, alice, claim, cleanHistory, commitAs, draft, LOCK, mallory, PLANNED, planner, ready, work } from './helpers/history.ts';
import { pinnedHub, push, pusher, tip } from './helpers/hub.ts';
import { gitTry, makeRepo, type Repo } from './helpers/repo.ts';

const OTHER = '2025-02-01-other-work';
const bob = { name: 'Agent Bob', email: 'bob@example.test' };

let repo: Repo;
let wrongAuthor: string;
let rightAuthor: string;
let unprefixed: string;
let laterSession: string;

beforeAll(() => {
  repo = makeRepo();
  cleanHistory(repo);
  repo.git('checkout', '-q', '-b', 'side');
  wrongAuthor = work(repo, ACTIVE, mallory);
  rightAuthor = work(repo, ACTIVE, alice);
  repo.write('src/tweak.txt', 'tweak\n');
  unprefixed = commitAs(repo, planner, 'tweak the side', ['src/tweak.txt']);
  // Names a session that exists only on main, drafted after the fork: not in its parent's tree.
  repo.write('src/early.txt', 'early\n');
  laterSession = commitAs(repo, alice, `[${OTHER}] feat: too early`, ['src/early.txt']);
  repo.write('src/more.txt', 'more\n');
  commitAs(repo, planner, '[maint] chore: more on the side', ['src/more.txt']);
  repo.git('checkout', '-q', 'main');
  draft(repo, OTHER);
  ready(repo, OTHER);
  claim(repo, OTHER, bob);
  const env = { GIT_AUTHOR_NAME: alice.name, GIT_AUTHOR_EMAIL: alice.email, GIT_COMMITTER_NAME: alice.name, GIT_COMMITTER_EMAIL: alice.email };
  const merged = gitTry(repo.dir, ['merge', '-q', '--no-ff', '--no-verify', '-m', `[${ACTIVE}] chore: bring in the side work`, 'side'], env);
  if (merged.status !== 0) throw new Error(merged.stderr);
});

describe('side-branch commits walked after main moved on', () => {
  it('are judged as in their parent tree: the wrong author, the header, a session not there yet', () => {
    const result = repo.cli(['check', '--all', '--json']);
    const found = (result.json?.violations ?? []).map((v: { rule: string; commit: string }) => `${v.rule} ${v.commit}`);
    expect(found, result.stdout + result.stderr).toContain(`attribution ${wrongAuthor}`);
    expect(found).toContain(`message-format ${unprefixed}`);
    expect(found).toContain(`message-format ${laterSession}`);
    expect(found.filter((f: string) => f.endsWith(rightAuthor))).toEqual([]);
  });

  it("see their parent's lock file, whatever state the walk stood at", async () => {
    const config = loadConfig(repo.dir);
    const seen = new Map<string, string>();
    await walkHistory({ cwd: repo.dir, config, runPoint: 'check', revs: ['HEAD'], onMain: true }, (facts) => {
      const lock = facts.before.lock;
      seen.set(facts.commit!.sha, (lock ?? []).map((e) => `${e.slug}:${e.claimedAt}`).join(','));
    });
    const initial = execFileSync('git', ['rev-list', '--max-parents=0', 'HEAD'], { cwd: repo.dir, encoding: 'utf8' }).trim();
    const walked = execFileSync('git', ['rev-list', 'HEAD', '--not', initial], { cwd: repo.dir, encoding: 'utf8' }).trim().split('\n');
    expect([...seen.keys()].sort()).toEqual(walked.sort());
    for (const [sha, lock] of seen) {
      let text = '';
      try {
        text = execFileSync('git', ['show', `${sha}^:${LOCK}`], { cwd: repo.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch {
        text = '';
      }
      const expected = text.split('\n').filter(Boolean).join(',');
      expect(lock, sha).toBe(expected);
    }
  });
});

/**
 * A side branch forked before main's old tip, merged with main's new work (`git merge -s ours
 * main` on the side: the side's tree wins) and pushed as main. The merge is judged against
 * main's parent alone (the side is not on the guarded branch), and against it the merge undoes
 * main's claim; against its first parent it changes nothing.
 */
function undoingMerge(repo: Repo): { base: string; merge: string } {
  const base = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', '-b', 'side', 'HEAD^');
  for (const name of ['one', 'two', 'three']) {
    repo.write(`src/side-${name}.txt`, `${name}\n`);
    commitAs(repo, planner, `[maint] chore: side ${name}`, [`src/side-${name}.txt`]);
  }
  repo.git('checkout', '-q', 'main');
  claim(repo, PLANNED, alice);
  repo.git('checkout', '-q', 'side');
  const env = { GIT_AUTHOR_NAME: planner.name, GIT_AUTHOR_EMAIL: planner.email, GIT_COMMITTER_NAME: planner.name, GIT_COMMITTER_EMAIL: planner.email };
  const merged = gitTry(repo.dir, ['merge', '-q', '-s', 'ours', '--no-verify', '-m', '[maint] chore: merge main', 'main'], env);
  if (merged.status !== 0) throw new Error(merged.stderr);
  const merge = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', 'main');
  repo.git('reset', '-q', '--hard', merge);
  return { base, merge };
}

describe('a merge judged against a parent other than its first', () => {
  it('is judged with its changes against that parent (check --range): undoing a claim is an illegal move', () => {
    const repo = makeRepo();
    cleanHistory(repo);
    const { base, merge } = undoingMerge(repo);
    const result = repo.cli(['check', '--range', `${base}..main`, '--json']);
    const found = (result.json?.violations ?? []).map((v: { rule: string; commit: string; message: string }) => `${v.rule} ${v.commit} ${v.message}`);
    expect(found, result.stdout + result.stderr).toContain(`lifecycle ${merge} illegal move of ${PLANNED}: active -> drafting`);
    expect(result.code).toBe(1);
  });

  it('is refused by the hub when, against main, it undoes a claim', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const before = tip(hub);
    undoingMerge(repo);
    const result = push(repo);
    expect(result.stderr).toMatch(/illegal move of 2025-01-04-next-work: active -> drafting/);
    expect(result.status).not.toBe(0);
    expect(tip(hub)).toBe(before);
  });
});

describe('a range whose last commit is a merge keeping main\'s tree, walked after a side', () => {
  it("validates the end tree as the tip has it, not as the walk's model stood (the side's stray)", () => {
    const repo = makeRepo();
    cleanHistory(repo);
    const base = repo.git('rev-parse', 'HEAD').trim();
    // A side forked before the range's base (not on top of it), with a stray under completed/.
    repo.git('checkout', '-q', '-b', 'side', 'HEAD^');
    repo.write('src/side.txt', 'side\n');
    commitAs(repo, planner, '[maint] chore: side one', ['src/side.txt']);
    repo.write('_AGENTS/sessions/completed/notes.txt', 'stray\n');
    commitAs(repo, planner, '[maint] chore: side stray', ['_AGENTS/sessions/completed/notes.txt']);
    const strayCommit = repo.git('rev-parse', 'HEAD').trim();
    repo.write('src/side2.txt', 'side\n');
    commitAs(repo, planner, '[maint] chore: side three', ['src/side2.txt']);
    repo.git('checkout', '-q', 'main');
    claim(repo, PLANNED, alice);
    // main keeps its own tree: against its first parent (the claim) the merge changes nothing.
    const env = { GIT_AUTHOR_NAME: planner.name, GIT_AUTHOR_EMAIL: planner.email, GIT_COMMITTER_NAME: planner.name, GIT_COMMITTER_EMAIL: planner.email };
    const merged = gitTry(repo.dir, ['merge', '-q', '-s', 'ours', '--no-verify', '-m', '[maint] chore: merge the side', 'side'], env);
    if (merged.status !== 0) throw new Error(merged.stderr);
    const result = repo.cli(['check', '--range', `${base}..main`, '--json']);
    // The side's commit that added the stray is refused where it appears (lifecycle); the
    // tip's tree, which has no stray, gets no layout violation from where the model stood.
    const found = (result.json?.violations ?? []).map((v: { rule: string; commit: string; message: string }) => `${v.rule} ${v.commit} ${v.message}`);
    expect(found, result.stdout + result.stderr).toEqual([`lifecycle ${strayCommit} _AGENTS/sessions/completed/notes.txt is not a session folder named by a valid slug`]);
    expect(result.code).toBe(1);
  });
});
