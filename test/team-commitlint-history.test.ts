// The team's commitlint rules in history: pre-push and `check` run them on each judged
// commit's message without its `[<slug>] ` prefix, loaded once per process, with the trust
// rules of commit-msg (a config that is code runs only where trusted). Commits are made with
// --no-verify, as an agent that skipped commit-msg would; the real pre-push hook judges them.
import { appendFileSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedHub } from './helpers/lifecycle.ts';
import { cloneAgent, gitTry, makeHub, makeRepo, tempDir, type Repo } from './helpers/repo.ts';

const SCOPES = { rules: { 'scope-enum': [2, 'always', ['api', 'ui']] } };

/** A repository with a hub, and (when given) the team's commitlint config pushed to it. */
function teamRepo(config?: { file: string; text: string }): Repo {
  const repo = makeRepo();
  makeHub(repo);
  if (config) {
    repo.write(config.file, config.text);
    repo.git('add', config.file);
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: team commitlint rules');
    repo.git('push', '-q', '--no-verify', 'origin', 'main');
  }
  return repo;
}

/** A commit our grammar accepts, made without the commit-time hooks. */
function commitSkippingHooks(repo: Repo, message: string): string {
  repo.write('notes.txt', `${message} ${Math.random()}\n`);
  repo.git('add', 'notes.txt');
  repo.git('commit', '-q', '--no-verify', '-m', message);
  return repo.git('rev-parse', 'HEAD').trim();
}

describe("the team's commitlint rules in history", () => {
  it('pre-push refuses a commit that breaks scope-enum, naming the rule, the commit and a reword fix', () => {
    const repo = teamRepo({ file: '.commitlintrc.json', text: JSON.stringify(SCOPES) });
    const hubBefore = repo.git('rev-parse', 'origin/main').trim();
    const sha = commitSkippingHooks(repo, '[maint] chore(db): tidy the notes');
    const pushed = gitTry(repo.dir, ['push', 'origin', 'main']);
    expect(pushed.status).not.toBe(0);
    expect(pushed.stderr).toMatch(/push to main refused/);
    expect(pushed.stderr).toMatch(/message-format/);
    expect(pushed.stderr).toMatch(/scope-enum/);
    expect(pushed.stderr).toContain(sha.slice(0, 12));
    expect(pushed.stderr).toMatch(new RegExp(`reword commit ${sha.slice(0, 12)} \\(git rebase -i ${sha.slice(0, 12)}\\^`));
    repo.git('fetch', '-q', 'origin');
    expect(repo.git('rev-parse', 'origin/main').trim()).toBe(hubBefore);

    const checked = repo.cli(['check', '--range', 'origin/main..HEAD', '--json']);
    expect(checked.code).toBe(1);
    const found = checked.json.violations.filter((v: { rule: string }) => v.rule === 'message-format');
    expect(found).toHaveLength(1);
    expect(found[0].commit).toBe(sha);
    expect(found[0].message).toMatch(/scope-enum/);
    expect(found[0].fix).toMatch(/^reword commit /);

    // Reworded as the fix says: accepted by both.
    repo.git('commit', '-q', '--amend', '--no-verify', '-m', '[maint] chore(api): tidy the notes');
    expect(repo.cli(['check', '--range', 'origin/main..HEAD', '--json']).code).toBe(0);
    const again = gitTry(repo.dir, ['push', 'origin', 'main']);
    expect(again.status, again.stderr).toBe(0);
  });

  it('the same commit in a repository without a commitlint config passes pre-push and check', () => {
    const repo = teamRepo();
    commitSkippingHooks(repo, '[maint] chore(db): tidy the notes');
    expect(repo.cli(['check', '--range', 'origin/main..HEAD', '--json']).code).toBe(0);
    const pushed = gitTry(repo.dir, ['push', 'origin', 'main']);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr).not.toMatch(/commitlint/);
  });

  it('a config that is code runs neither at pre-push nor in check unless trusted; trusted, it is loaded once per process', () => {
    const repo = teamRepo();
    const loads = join(tempDir('as-loads-'), 'loads.txt');
    // The config notes each time it is evaluated (outside the work tree, so no commit sees it).
    repo.write('commitlint.config.mjs', `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(loads)}, 'x');\nexport default { rules: { 'scope-empty': [2, 'never'] } };\n`);
    repo.git('add', 'commitlint.config.mjs');
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore(api): count loads');
    repo.git('push', '-q', '--no-verify', 'origin', 'main');
    for (let i = 0; i < 3; i++) commitSkippingHooks(repo, `[maint] chore: no scope ${i}`);

    // Untrusted (pushed by anyone): not evaluated at all, and both say why.
    const untrustedCheck = repo.cli(['check', '--range', 'origin/main..HEAD', '--json']);
    expect(untrustedCheck.code).toBe(0);
    expect(untrustedCheck.json.violations.some((v: { severity: string; message: string }) => v.severity === 'warn' && /commitlint\.config\.mjs is code/.test(v.message))).toBe(true);
    const hubBefore = repo.git('rev-parse', 'origin/main').trim();
    const dry = gitTry(repo.dir, ['push', '--dry-run', 'origin', 'main']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/note: commitlint\.config\.mjs is code/);
    expect(existsSync(loads)).toBe(false);
    expect(repo.git('rev-parse', 'origin/main').trim()).toBe(hubBefore);

    // Trusted by this checkout: three commits judged, the config evaluated once per process.
    repo.git('config', 'agent-sessions.commitlintCode', 'true');
    const checked = repo.cli(['check', '--range', 'origin/main..HEAD', '--json']);
    expect(checked.code).toBe(1);
    expect(checked.json.violations.filter((v: { message: string }) => /scope-empty/.test(v.message))).toHaveLength(3);
    expect(readFileSync(loads, 'utf8')).toBe('x');
    appendFileSync(loads, '|');
    const pushed = gitTry(repo.dir, ['push', 'origin', 'main']);
    expect(pushed.status).not.toBe(0);
    expect(pushed.stderr).toMatch(/scope-empty/);
    expect(readFileSync(loads, 'utf8')).toBe('x|x');
  });

  it('a JSON config that extends a committed ./x.cjs is not loaded by check or pre-push untrusted', () => {
    const repo = teamRepo();
    const marker = join(tempDir('as-marker-'), 'PWNED');
    repo.write('evil.cjs', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { rules: {} };\n`);
    repo.write('.commitlintrc.json', '{"extends": ["./evil.cjs"], "rules": {}}');
    repo.git('add', 'evil.cjs', '.commitlintrc.json');
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: extend the rules');
    const checked = repo.cli(['check', '--range', 'origin/main..HEAD', '--json']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.json.violations.some((v: { message: string }) => /loads code/.test(v.message))).toBe(true);
    const pushed = gitTry(repo.dir, ['push', 'origin', 'main']);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a YAML commitlint config that merges `extends` in from an anchor', () => {
  it('is code (commitlint resolves the merge and would load it): not run untrusted at commit-msg, pre-push or check', () => {
    const repo = teamRepo();
    const marker = join(tempDir('as-marker-'), 'PWNED');
    repo.write('evil.cjs', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { rules: {} };\n`);
    repo.write('.commitlintrc.yml', 'base: &base\n  extends: [./evil.cjs]\n<<: *base\nrules: {}\n');
    repo.git('add', 'evil.cjs', '.commitlintrc.yml');
    const committed = gitTry(repo.dir, ['commit', '-q', '-m', '[maint] chore: merge the rules in']);
    expect(committed.status, committed.stderr).toBe(0);
    expect(committed.stderr).toMatch(/loads code/);
    const checked = repo.cli(['check', '--range', 'origin/main..HEAD', '--json']);
    expect(checked.json.violations.some((v: { message: string }) => /loads code/.test(v.message))).toBe(true);
    expect(gitTry(repo.dir, ['push', 'origin', 'main']).status).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a commitlint config that is not a plain file', () => {
  it('a committed link to /dev/zero is not read even where code is trusted: check and pre-push go on, saying so', () => {
    const repo = teamRepo();
    repo.git('config', 'agent-sessions.commitlintCode', 'true');
    symlinkSync('/dev/zero', join(repo.dir, 'commitlint.config.js'));
    repo.git('add', 'commitlint.config.js');
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: link the rules');
    const checked = repo.cli(['check', '--range', 'origin/main..HEAD', '--json'], {});
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.json.violations.some((v: { message: string }) => /not a plain file/.test(v.message))).toBe(true);
    const pushed = gitTry(repo.dir, ['push', 'origin', 'main']);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr).toMatch(/not a plain file/);
  }, 60_000);
});

describe('transitions agent-sessions writes itself', () => {
  it('a claim (fixed header without a scope) is not judged by a team rule that wants one; a work commit is', () => {
    const { planner, hub, slugs } = plannedHub(1);
    planner.write('.commitlintrc.json', JSON.stringify({ rules: { 'scope-empty': [2, 'never'] } }));
    planner.git('add', '.commitlintrc.json');
    planner.git('commit', '-q', '--no-verify', '-m', '[maint] chore(lint): team rules');
    planner.git('push', '-q', '--no-verify', 'origin', 'main');
    const agent = cloneAgent(hub, 'alice');
    const base = agent.git('rev-parse', 'origin/main').trim();
    const claimed = agent.cli(['claim', slugs[0]!, '--json']);
    expect(claimed.code, claimed.stderr).toBe(0);
    agent.git('fetch', '-q', 'origin');
    const checked = agent.cli(['check', '--range', `${base}..origin/main`, '--json']);
    expect(checked.code, JSON.stringify(checked.json?.violations)).toBe(0);
    expect(checked.json.violations.filter((v: { rule: string }) => v.rule === 'message-format')).toEqual([]);
    // A [maint] work commit without a scope is judged by the same rule.
    agent.git('merge', '-q', '--ff-only', 'origin/main');
    const sha = commitSkippingHooks(agent, '[maint] chore: no scope');
    const work = agent.cli(['check', '--range', `${base}..HEAD`, '--json']);
    expect(work.code).toBe(1);
    expect(work.json.violations.filter((v: { rule: string; commit?: string }) => v.rule === 'message-format').map((v: { commit?: string }) => v.commit)).toEqual([sha]);
  }, 120_000);
});
