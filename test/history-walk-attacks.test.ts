// Attacks on the history walk found while it was limited to the layout (git pathspecs, then a
// filter, both since removed): pushes and ranges every history rule refuses, which a narrower
// walk let through. Real git, real hubs: the pusher's environment reaches the
// hub's pre-receive through a local (file://) push, and a tree object is whatever the
// pusher writes (a bare hub does not fsck what it receives by default). Also: a merge judged
// against its second parent alone, and a \x01 in what git log prints (a record cut by one is refused).
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanHistory, commitAs, mallory, PLANNED, planner, S } from './helpers/history.ts';
import { pinnedHub, pusher, tip } from './helpers/hub.ts';
import { gitTry, makeRepo, runCli, type Repo } from './helpers/repo.ts';

const PATHSPEC_VARIABLES = ['GIT_LITERAL_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS'] as const;

function found(repo: Repo, base: string): string[] {
  const result = repo.cli(['check', '--range', `${base}..HEAD`, '--json']);
  expect(result.json?.violations, result.stdout + result.stderr).toBeDefined();
  return (result.json.violations as { rule: string; path?: string }[]).map((v) => `${v.rule} ${v.path ?? ''}`);
}

/** Writes canonical knowledge outside any session (kb-canonical refuses it). */
function writeKnowledge(repo: Repo): string {
  repo.write('_AGENTS/knowledge/guide.md', '# guide\n');
  return commitAs(repo, mallory, '[maint] docs: write the guide', ['_AGENTS/knowledge/guide.md']);
}

/** A link where the worktrees folder goes (no-symlinks refuses it; the name holds "k"). */
function linkWorktrees(repo: Repo): string {
  symlinkSync('/etc', join(repo.dir, '.worktrees'));
  return commitAs(repo, mallory, '[maint] chore: a shortcut', ['.worktrees']);
}

/**
 * A commit on HEAD whose root tree also holds `entries` under names with a "/" in them (git
 * checks such a name out at that path; `git mktree` refuses to write one, hash-object does not).
 */
function commitWithRawEntries(repo: Repo, entries: { name: string; mode: string; id: string }[], message: string): string {
  const listed = repo
    .git('ls-tree', '-z', 'HEAD')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, name] = line.split('\t') as [string, string];
      const [mode, , id] = meta.split(' ') as [string, string, string];
      return { name, mode: mode.replace(/^0+/, ''), id };
    });
  const all = [...listed, ...entries];
  const key = (e: { name: string; mode: string }) => Buffer.from(e.mode === '40000' ? `${e.name}/` : e.name);
  all.sort((a, b) => Buffer.compare(key(a), key(b)));
  const body = Buffer.concat(all.map((e) => Buffer.concat([Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.id, 'hex')])));
  const tree = execFileSync('git', ['hash-object', '-t', 'tree', '-w', '--literally', '--stdin'], { cwd: repo.dir, input: body }).toString().trim();
  const env = { ...process.env, GIT_AUTHOR_NAME: mallory.name, GIT_AUTHOR_EMAIL: mallory.email, GIT_COMMITTER_NAME: mallory.name, GIT_COMMITTER_EMAIL: mallory.email };
  const commit = execFileSync('git', ['commit-tree', tree, '-p', 'HEAD', '-m', message], { cwd: repo.dir, env }).toString().trim();
  repo.git('update-ref', 'HEAD', commit);
  return commit;
}

function blob(repo: Repo, content: string): string {
  return execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, input: content }).toString().trim();
}

describe("the pusher's environment", () => {
  // A local push hands the pusher's environment to the hub's receive-pack and its hook, and
  // `git --literal-pathspecs` exports GIT_LITERAL_PATHSPECS=1 to both.
  for (const name of PATHSPEC_VARIABLES) {
    const how = name === 'GIT_LITERAL_PATHSPECS' ? 'git --literal-pathspecs push' : `a push with ${name}=1`;
    it(`does not let ${how} through the hub`, () => {
      const hub = pinnedHub();
      const before = tip(hub);
      const repo = pusher(hub);
      writeKnowledge(repo);
      linkWorktrees(repo);
      const push = ['push', '--no-verify', 'origin', 'HEAD:refs/heads/main'];
      const result = name === 'GIT_LITERAL_PATHSPECS' ? gitTry(repo.dir, ['--literal-pathspecs', ...push]) : gitTry(repo.dir, push, { [name]: '1' });
      expect(result.status, result.stderr).not.toBe(0);
      expect(result.stderr).toContain('[kb-canonical]');
      expect(result.stderr).toContain('[no-symlinks]');
      expect(tip(hub)).toBe(before);
    });
  }
});

describe('a tree entry whose name holds "/"', () => {
  it('is judged at the path it checks out to', () => {
    const repo = makeRepo();
    const base = repo.git('rev-parse', 'HEAD').trim();
    commitWithRawEntries(
      repo,
      [
        { name: '_AGENTS/sessions/x', mode: '120000', id: blob(repo, '/etc') },
        { name: '_AGENTS/knowledge/guide.md', mode: '100644', id: blob(repo, '# guide\n') },
      ],
      '[maint] chore: tidy',
    );
    const hits = found(repo, base);
    expect(hits).toContain('no-symlinks _AGENTS/sessions/x');
    expect(hits).toContain('kb-canonical _AGENTS/knowledge/guide.md');
  });

  it('is refused by the hub', () => {
    const hub = pinnedHub();
    const before = tip(hub);
    const repo = pusher(hub);
    commitWithRawEntries(repo, [{ name: '_AGENTS/sessions/x', mode: '120000', id: blob(repo, '/etc') }], '[maint] chore: tidy');
    const result = gitTry(repo.dir, ['push', '--no-verify', 'origin', 'HEAD:refs/heads/main']);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain('no-symlinks');
    expect(tip(hub)).toBe(before);
    // What was refused would have been a link in the sessions folder of every clone.
    const clone = join(repo.dir, '..', 'clone');
    execFileSync('git', ['clone', '-q', repo.dir, clone]);
    expect(execFileSync('git', ['ls-files', '-s', '--', '_AGENTS/sessions/x'], { cwd: clone }).toString()).toMatch(/^120000 /);
  });
});

describe('a guarded folder whose name toLowerCase folds from "İ" (U+0130)', () => {
  it('still sees a link named with "İ" where the configured name has "i" and U+0307', () => {
    const repo = makeRepo();
    const config = JSON.parse(repo.read('agent-sessions.config.json')) as { paths: Record<string, string> };
    config.paths.clones = 'li\u0307b';
    repo.write('agent-sessions.config.json', `${JSON.stringify(config, null, 2)}\n`);
    // The range is judged with the policy of its base: the config moves the folder before it.
    const base = commitAs(repo, mallory, '[maint] chore: move the clones folder', ['agent-sessions.config.json']);
    const link = 'l\u0130b';
    symlinkSync('/etc', join(repo.dir, link));
    commitAs(repo, mallory, '[maint] chore: a shortcut', [link]);
    expect(found(repo, base)).toContain(`no-symlinks ${link}`);
  });
});

// A merge judged against its other parent alone (the one already on
// main) has its changes against THAT parent, which its first-parent changes do not show: a
// merge whose first parent is a side branch from before main's last session changes, and
// whose tree keeps the side's sessions, undoes main's session changes.
describe('a merge judged against its second parent alone', () => {
  it("is judged with its changes against that parent, not its first parent's (none)", () => {
    const hub = pinnedHub();
    const before = tip(hub);
    const repo = pusher(hub);
    // The side branch starts before PLANNED was drafted; main goes on without layout changes.
    repo.git('checkout', '-q', '-b', 'side', 'HEAD~2');
    repo.write('side.txt', 'side\n');
    commitAs(repo, planner, '[maint] chore: side work', ['side.txt']);
    repo.git('checkout', '-q', 'main');
    repo.write('main.txt', 'main\n');
    commitAs(repo, planner, '[maint] chore: main work', ['main.txt']);
    repo.git('checkout', '-q', 'side');
    gitTry(repo.dir, ['merge', '-q', '--no-ff', '--no-commit', 'main']);
    repo.git('rm', '-r', '-q', '-f', '--', `${S}/planned/${PLANNED}`);
    commitAs(repo, planner, '[maint] chore: merge main');
    expect(repo.git('rev-list', '--parents', '-1', 'HEAD').trim().split(' ')).toHaveLength(3);
    const result = gitTry(repo.dir, ['push', '--no-verify', 'origin', 'HEAD:refs/heads/main']);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.stderr).toContain(`session ${PLANNED} was deleted`);
    expect(tip(hub)).toBe(before);
  });
});

// git log's records are split on \x01 (LOG_FORMAT): a \x01 in anything git prints inside a
// record (a message, a name, any path) cuts it, and since 04be4ff the part after the cut (the
// rest of the commit's changes) was skipped unjudged. The walk now holds each record to the
// commit it expects next and refuses the history otherwise.
describe('a \\x01 in what git log prints', () => {
  function kbAndLink(repo: Repo): void {
    repo.write('_AGENTS/knowledge/guide.md', '# guide\n');
    symlinkSync('/etc', join(repo.dir, '_AGENTS/sessions/evil'));
  }

  it('in a file name outside the layout hides none of the commit\'s layout changes from the hub', () => {
    const hub = pinnedHub();
    const before = tip(hub);
    const repo = pusher(hub);
    kbAndLink(repo);
    repo.write('\x01', 'x\n');
    commitAs(repo, mallory, '[maint] docs: write the guide', ['.']);
    const result = gitTry(repo.dir, ['push', '--no-verify', 'origin', 'HEAD:refs/heads/main']);
    expect(result.status, result.stderr).not.toBe(0);
    // The record is cut: the history is refused as unreadable, with the fix (never judged
    // without the changes after the cut).
    expect(result.stderr).toMatch(/cut by a \\x01[\s\S]*fix: rewrite the commit without the \\x01/);
    expect(result.stderr).not.toContain('internal error');
    expect(tip(hub)).toBe(before);
  });

  // A \x01 in a commit's message or in a layout path cut git log's record of the commit in
  // two, and the walk dropped the second part (its layout changes) since 04be4ff: the walk now
  // holds each record to the commit it expects next and refuses the history otherwise.
  for (const [where, make] of [
    ['the commit message', (repo: Repo) => commitAs(repo, mallory, '[maint] docs: write the guide\n\nnotes \x01', ['.'])],
    ['a layout file name', (repo: Repo) => (repo.write('_AGENTS/\x01', 'x\n'), commitAs(repo, mallory, '[maint] docs: write the guide', ['.']))],
  ] as const) {
    it(`in ${where} hides none of the commit's layout changes from check`, () => {
      const repo = makeRepo();
      const base = repo.git('rev-parse', 'HEAD').trim();
      kbAndLink(repo);
      make(repo);
      // Refused either way: the violations found, or the history refused as unreadable.
      const result = repo.cli(['check', '--range', `${base}..HEAD`, '--json']);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      const hits = ((result.json?.violations ?? []) as { rule: string; path?: string }[]).map((v) => `${v.rule} ${v.path ?? ''}`);
      if (hits.length > 0) expect(hits).toEqual(expect.arrayContaining(['kb-canonical _AGENTS/knowledge/guide.md', 'no-symlinks _AGENTS/sessions/evil']));
    });
  }

  // The refusal used to leave that slice's git log running: with more than eagerRecords' 1 MB
  // of output still to come (here a commit adding 12,000 files) git blocked on the full pipe
  // and kept check from ever exiting after it had printed the refusal.
  it('is refused, and check exits, when much of the log is still to come after the cut', () => {
    const repo = makeRepo();
    const base = repo.git('rev-parse', 'HEAD').trim();
    commitAs(repo, mallory, '[maint] docs: write the guide\n\nnotes \x01', ['.']);
    const empty = blob(repo, '');
    const listing = Array.from({ length: 12_000 }, (_, i) => `100644 blob ${empty}\tgenerated-file-with-a-long-name-${i}.txt\n`).join('');
    const folder = execFileSync('git', ['mktree'], { cwd: repo.dir, input: listing }).toString().trim();
    repo.git('read-tree', '--prefix=generated/', folder);
    commitAs(repo, mallory, '[maint] chore: generate files');
    const result = runCli(repo.dir, ['check', '--range', `${base}..HEAD`, '--json'], { timeout: 30_000 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.json?.error?.code).toBe('unreadable-history');
  });
});

// A record is one string, and V8 holds none past ~512 Mi characters: a 540 MB message (half a
// MB packed) ended check in "internal error: Invalid string length" after a minute and 1 GB of
// memory. Over 64 Mi characters a record is refused, naming the commit, before it is joined.
describe('a commit whose record is too large to judge', () => {
  it('is refused with the commit named and the fix, not a stack trace', () => {
    const repo = makeRepo();
    const base = repo.git('rev-parse', 'HEAD').trim();
    // Through stdin: a message this long is over the system's limit for one argument.
    const env = { ...process.env, GIT_AUTHOR_NAME: mallory.name, GIT_AUTHOR_EMAIL: mallory.email, GIT_COMMITTER_NAME: mallory.name, GIT_COMMITTER_EMAIL: mallory.email };
    execFileSync('git', ['commit', '-q', '--no-verify', '--allow-empty', '-F', '-'], { cwd: repo.dir, env, input: `[maint] docs: write the guide\n\n${'a'.repeat(65 * 1024 * 1024)}\n` });
    const big = repo.git('rev-parse', 'HEAD').trim();
    const result = runCli(repo.dir, ['check', '--range', `${base}..HEAD`, '--json'], { timeout: 170_000 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.json?.error).toMatchObject({ code: 'record-too-large', fix: expect.stringContaining('split the commit') });
    expect(result.json.error.message).toContain(big.slice(0, 12));
    expect(result.stderr).not.toContain('internal error');
  }, 180_000); // git itself reads the 65 MB commit once per call
});

describe('a committed file named `shallow` at the root of a work tree', () => {
  // git keeps a shallow clone's boundary in <git dir>/shallow; a file of that name in the
  // work tree is the repository's, and the commits it lists must not leave the walk.
  it('takes no commit out of check, with and without the early start', () => {
    const repo = makeRepo();
    cleanHistory(repo);
    const base = repo.git('rev-parse', 'HEAD').trim();
    const bad = writeKnowledge(repo);
    repo.write('shallow', `${bad}\n`);
    commitAs(repo, mallory, '[maint] chore: a list of commits', ['shallow']);
    expect(found(repo, base)).toContain('kb-canonical _AGENTS/knowledge/guide.md');
    // check --all starts its git in the bin (check-early.ts); a range goes through walk-plan.ts
    for (const args of [['check', '--all', '--json'], ['check', '--range', `${base}..HEAD`, '--json']]) {
      const result = repo.cli(args);
      expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(1);
      expect(result.stdout).toContain(bad);
    }
  });
});
