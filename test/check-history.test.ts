// `check` over real histories: each violation of the acceptance criteria is found (exit 1,
// the right rule, the right commit), a clean history passes, and the edges (no layout,
// shallow clone, CI ranges) answer with exit 2 and a fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE, alice, BAD_CASES, claim, cleanHistory, commitAs, complete, mallory, PLANNED, planner, S, work } from './helpers/history.ts';
import { git, gitTry, makeRepo, repoAt, runCli, tempDir, type Repo } from './helpers/repo.ts';

let base: Repo;
let baseHead: string;

function cloneOf(repo: Repo): Repo {
  const dir = join(tempDir('as-check-'), 'work');
  git(tempDir(), 'clone', '-q', repo.dir, dir);
  return repoAt(dir);
}

beforeAll(() => {
  base = makeRepo();
  cleanHistory(base);
  baseHead = base.git('rev-parse', 'HEAD').trim();
});

describe('check', () => {
  it('passes a clean history (exit 0), whole history and a range', () => {
    const all = base.cli(['check', '--all', '--json']);
    expect(all.json?.violations, all.stdout + all.stderr).toEqual([]);
    expect(all.code).toBe(0);
    expect(all.json.summary.commits).toBeGreaterThanOrEqual(10);
    const range = base.cli(['check', '--range', 'HEAD~3..HEAD']);
    expect(range.code, range.stdout + range.stderr).toBe(0);
    expect(range.stdout).toMatch(/3 commit\(s\)/);
  });

  for (const bad of BAD_CASES) {
    it(`finds ${bad.name} (${bad.rule}) at the right commit`, () => {
      const repo = cloneOf(base);
      const sha = bad.make(repo);
      const result = repo.cli(['check', '--range', `${baseHead}..HEAD`, '--json']);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      const hits = result.json.violations.filter((v: { rule: string }) => v.rule === bad.rule);
      expect(hits.length, JSON.stringify(result.json.violations)).toBeGreaterThan(0);
      expect(hits.map((v: { commit: string }) => v.commit)).toContain(sha);
      for (const v of result.json.violations) expect(typeof v.fix).toBe('string');
    });
  }

  it('walks a non-linear history: each commit is judged against its own first parent', () => {
    const repo = cloneOf(base);
    repo.git('checkout', '-q', '-b', 'side');
    const sideGood = work(repo, ACTIVE, alice, 'src/side.txt');
    repo.git('checkout', '-q', 'main');
    const mainBad = work(repo, ACTIVE, mallory, 'src/main.txt');
    const env = { GIT_AUTHOR_NAME: alice.name, GIT_AUTHOR_EMAIL: alice.email, GIT_COMMITTER_NAME: alice.name, GIT_COMMITTER_EMAIL: alice.email };
    const merged = gitTry(repo.dir, ['merge', '-q', '--no-ff', '--no-verify', '-m', `[${ACTIVE}] chore: bring in side work`, 'side'], env);
    expect(merged.status, merged.stderr).toBe(0);
    const result = repo.cli(['check', '--range', `${baseHead}..HEAD`, '--json']);
    expect(result.json.summary.commits).toBe(3);
    const flagged = result.json.violations.map((v: { rule: string; commit: string }) => `${v.rule} ${v.commit}`);
    expect(flagged).toEqual([`attribution ${mainBad}`]);
    expect(flagged.join()).not.toContain(sideGood);
  });

  it('judges a merge of --all (no old tip) as legal when it is legal against one of its parents', () => {
    // A stale side (planned) merged as first parent over a claim AND a completion: against
    // the first parent it reads planned -> completed, against main it brings one docs file.
    const repo = cloneOf(base);
    repo.git('checkout', '-q', '-b', 'stale');
    repo.write('docs/notes.md', '# notes\n');
    commitAs(repo, planner, '[maint] docs: add notes', ['docs/notes.md']);
    repo.git('checkout', '-q', 'main');
    claim(repo, PLANNED, alice);
    complete(repo, PLANNED, alice);
    repo.git('checkout', '-q', 'stale');
    const env = { GIT_AUTHOR_NAME: planner.name, GIT_AUTHOR_EMAIL: planner.email, GIT_COMMITTER_NAME: planner.name, GIT_COMMITTER_EMAIL: planner.email };
    const merged = gitTry(repo.dir, ['merge', '-q', '--no-ff', '--no-verify', '-m', '[maint] chore: sync with main', 'main'], env);
    expect(merged.status, merged.stderr).toBe(0);
    const all = repo.cli(['check', '--all', '--json']);
    expect(all.json?.violations, all.stdout + all.stderr).toEqual([]);
    // The same merge after it is broken against both parents: reported once, at the merge.
    repo.write(`${S}/completed/${PLANNED}/SESSION.md`, 'rewritten\n');
    repo.git('add', '-A');
    const amended = gitTry(repo.dir, ['commit', '-q', '--amend', '--no-verify', '--no-edit'], env);
    expect(amended.status, amended.stderr).toBe(0);
    const tip = repo.git('rev-parse', 'HEAD').trim();
    const broken = repo.cli(['check', '--all', '--json']);
    expect(broken.code).toBe(1);
    const hits = broken.json.violations.filter((v: { commit: string }) => v.commit === tip);
    // (A [maint] merge that writes a session's file of its own: maint-scope says so too.)
    expect(hits.map((v: { rule: string }) => v.rule)).toEqual(['session-md-readonly', 'maint-scope']);
  });

  it('validates the tree at the end of the range: a completed session without its patch', () => {
    const repo = cloneOf(base);
    repo.git('rm', '-q', `_AGENTS/sessions/completed/2025-01-02-finished-work/2025-01-02-finished-work.patch`);
    commitAs(repo, planner, '[maint] chore: drop a patch');
    const result = repo.cli(['check', '--range', 'HEAD~1..HEAD', '--json']);
    expect(result.code).toBe(1);
    expect(result.json.violations.some((v: { message: string }) => /no 2025-01-02-finished-work\.patch/.test(v.message))).toBe(true);
  });

  it('validates the end tree the same whether the walk ends there or the tree is listed', () => {
    // --all and a non-empty range validate the end tree from the walk's model; an empty range
    // lists the tree. Across a merge (the walk jumps between branches) both must agree.
    const repo = cloneOf(base);
    repo.git('checkout', '-q', '-b', 'side');
    repo.git('rm', '-q', `_AGENTS/sessions/completed/2025-01-02-finished-work/2025-01-02-finished-work.patch`);
    commitAs(repo, planner, '[maint] chore: drop a patch');
    repo.git('checkout', '-q', 'main');
    const lock = join(repo.dir, '_AGENTS/sessions/sessions.lock');
    writeFileSync(lock, `${repo.read('_AGENTS/sessions/sessions.lock')}2025-01-02-finished-work:1700000000\n`);
    repo.git('add', '_AGENTS/sessions/sessions.lock');
    commitAs(repo, planner, '[maint] chore: a stray lock line');
    const env = { GIT_AUTHOR_NAME: planner.name, GIT_AUTHOR_EMAIL: planner.email, GIT_COMMITTER_NAME: planner.name, GIT_COMMITTER_EMAIL: planner.email };
    const merged = gitTry(repo.dir, ['merge', '-q', '--no-ff', '--no-verify', '-m', '[maint] chore: merge side', 'side'], env);
    expect(merged.status, merged.stderr).toBe(0);
    const treeFindings = (args: string[]) => {
      const result = repo.cli(['check', ...args, '--json']);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      return result.json.violations
        .filter((v: { commit: string }) => v.commit === 'HEAD')
        .map((v: { rule: string; message: string }) => `${v.rule}: ${v.message}`)
        .sort();
    };
    const listed = treeFindings(['--range', 'HEAD..HEAD']);
    expect(listed.join('\n')).toMatch(/no 2025-01-02-finished-work\.patch/);
    expect(listed.join('\n')).toMatch(/lists 2025-01-02-finished-work, which is in completed/);
    expect(treeFindings(['--all'])).toEqual(listed);
    expect(treeFindings(['--range', `${baseHead}..HEAD`])).toEqual(listed);
  });

  it('judges the same across git log slices, and stops early at a limit', async () => {
    const repo = cloneOf(base);
    for (const bad of BAD_CASES.slice(0, 3)) bad.make(repo);
    const { judgeHistory } = await import('../src/check/history.ts');
    const { loadConfig } = await import('../src/config.ts');
    const options = { cwd: repo.dir, config: loadConfig(repo.dir), runPoint: 'check' as const, revs: ['HEAD'], onMain: true };
    const whole = await judgeHistory(options);
    expect(whole.violations.length).toBeGreaterThan(1);
    for (const slice of [1, 2, 3, 7]) {
      const sliced = await judgeHistory({ ...options, slice });
      expect(sliced.commits).toBe(whole.commits);
      expect(sliced.violations).toEqual(whole.violations);
    }
    // The walk's states compacted after every state: the same judgement.
    for (const compactEvery of [1, 2]) {
      const compacted = await judgeHistory({ ...options, compactEvery });
      expect(compacted.violations).toEqual(whole.violations);
    }
    const limited = await judgeHistory({ ...options, slice: 2, limit: 1 });
    expect(limited.truncated).toBe(true);
    expect(limited.violations).toEqual(whole.violations.slice(0, 1));
  });

  it('prints text with the rule, the commit and the fix', () => {
    const repo = cloneOf(base);
    const sha = BAD_CASES[0]!.make(repo);
    const result = repo.cli(['check', '--range', `${baseHead}..HEAD`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`message-format ${sha.slice(0, 12)}`);
    expect(result.stdout).toMatch(/fix: /);
  });

  it('shows hostile headers with their control characters escaped', () => {
    const repo = cloneOf(base);
    repo.write('src/esc.txt', 'x\n');
    commitAs(repo, planner, 'oops \u001b[2J\u001b]0;pwned\u0007 title', ['src/esc.txt']);
    const result = repo.cli(['check', '--range', `${baseHead}..HEAD`]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toContain('\\u001b');
  });

  it('exits 2 and says to run init in a repository without the layout', () => {
    const repo = makeRepo({ init: false, link: false });
    const result = repo.cli(['check', '--all']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/agent-sessions init/);
  });

  it('exits 2 on --all in a repository without a commit, and checks a detached HEAD', () => {
    const empty = tempDir('as-check-empty-');
    git(empty, 'init', '-q', '-b', 'main');
    const none = runCli(empty, ['check', '--all', '--json']);
    expect(none.code).toBe(2);
    expect(none.stdout + none.stderr).toMatch(/HEAD has no commit yet/);
    const repo = cloneOf(base);
    repo.git('checkout', '-q', '--detach', 'HEAD');
    const detached = repo.cli(['check', '--all', '--json']);
    expect(detached.code, detached.stdout + detached.stderr).toBe(0);
  });

  it('exits 2 without a range, CI or upstream, and names the options', () => {
    const result = base.cli(['check'], { env: { GITHUB_ACTIONS: '', GITLAB_CI: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--range/);
  });

  it('takes the range of a GitHub push event from its payload', () => {
    const repo = cloneOf(base);
    const sha = BAD_CASES[0]!.make(repo);
    const event = join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ before: baseHead, after: sha }));
    const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event, GITHUB_SHA: sha, GITHUB_REF_NAME: 'main' };
    const result = repo.cli(['check', '--json'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.json.summary.commits).toBe(1);
    expect(result.json.source).toMatch(/GitHub push/);
  });

  it('defaults to @{upstream}..HEAD outside CI', () => {
    const repo = cloneOf(base); // a clone: main tracks origin/main
    const sha = BAD_CASES[0]!.make(repo);
    const result = repo.cli(['check', '--json'], { env: { GITHUB_ACTIONS: '', GITLAB_CI: '' } });
    expect(result.code).toBe(1);
    expect(result.json.summary.commits).toBe(1);
    expect(result.json.violations[0].commit).toBe(sha);
  });

  it('takes base..head of a GitHub pull request from its payload', () => {
    const repo = cloneOf(base);
    const sha = BAD_CASES[0]!.make(repo);
    const event = join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: baseHead, ref: 'main' }, head: { sha, ref: 'session/x' } } }));
    const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_SHA: baseHead };
    const result = repo.cli(['check', '--json'], { env });
    expect(result.json.summary.commits).toBe(1);
    expect(result.json.source).toMatch(/pull_request/);
  });

  it('takes the range of a GitLab merge request from its variables', () => {
    const repo = cloneOf(base);
    const sha = BAD_CASES[0]!.make(repo);
    const env = { GITHUB_ACTIONS: '', GITLAB_CI: 'true', CI_MERGE_REQUEST_DIFF_BASE_SHA: baseHead, CI_COMMIT_SHA: sha };
    const result = repo.cli(['check', '--json'], { env });
    expect(result.code).toBe(1);
    expect(result.json.summary.commits).toBe(1);
  });

  it('judges a shallow clone from its first whole commit: the cut-off commits are states, not roots', () => {
    const dir = join(tempDir('as-shallow-'), 'work');
    git(tempDir(), 'clone', '-q', '--depth', '3', `file://${base.dir}`, dir);
    const result = runCli(dir, ['check', '--all', '--json']);
    expect(result.json?.violations, result.stdout + result.stderr).toEqual([]);
    expect(result.json.summary.commits).toBe(2);
  });

  it('tells a shallow clone that lacks the base which fetch depth to set', () => {
    const dir = join(tempDir('as-shallow-'), 'work');
    git(tempDir(), 'clone', '-q', '--depth', '1', `file://${base.dir}`, dir);
    const result = runCli(dir, ['check', '--range', `${baseHead}~5..HEAD`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/shallow/);
    expect(result.stderr).toMatch(/fetch-depth: 0/);
  });
});
