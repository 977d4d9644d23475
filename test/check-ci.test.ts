// CI integration: the workflow files init --ci writes parse as YAML and run `check` with a
// range it can read; the github format speaks GitHub's workflow-command syntax, escaped,
// and appends a Markdown summary to $GITHUB_STEP_SUMMARY.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { escapeData, escapeProperty, formatGithub, summarize } from '../src/check/format.ts';
import { ACTIVE, BAD_CASES, cleanHistory, S } from './helpers/history.ts';
import { makeRepo, tempDir, type Repo } from './helpers/repo.ts';

// One workflow command: ::level key=value,key=value::data, properties and data escaped.
const COMMAND = /^::(error|warning|notice) ((?:file|line|title)=[^,:\r\n]*)(?:,((?:file|line|title)=[^,:\r\n]*))*::[^\r\n]*$/;

let repo: Repo;
let baseHead: string;

beforeAll(() => {
  repo = makeRepo();
  cleanHistory(repo);
  baseHead = repo.git('rev-parse', 'HEAD').trim();
});

describe('init --ci', () => {
  it('writes a GitHub workflow that parses and runs check with the whole history fetched', () => {
    const result = repo.cli(['init', '--no-hooks', '--ci', 'github']);
    expect(result.code, result.stderr).toBe(0);
    const doc = parse(readFileSync(join(repo.dir, '.github/workflows/agent-sessions.yml'), 'utf8'));
    expect(doc.on.push.branches).toContain('main');
    expect(doc.on.pull_request.branches).toContain('main');
    const steps = doc.jobs.check.steps as { uses?: string; with?: Record<string, unknown>; run?: string }[];
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth']).toBe(0);
    expect(steps.some((s) => s.run === 'npx agent-sessions check --format github')).toBe(true);
    // Running init again changes no byte.
    const before = readFileSync(join(repo.dir, '.github/workflows/agent-sessions.yml'), 'utf8');
    expect(repo.cli(['init', '--no-hooks', '--ci', 'github']).code).toBe(0);
    expect(readFileSync(join(repo.dir, '.github/workflows/agent-sessions.yml'), 'utf8')).toBe(before);
  });

  it('writes a GitLab job (appended once to an existing .gitlab-ci.yml) with GIT_DEPTH 0', () => {
    const other = makeRepo();
    writeFileSync(join(other.dir, '.gitlab-ci.yml'), 'build:\n  script:\n    - make\n');
    expect(other.cli(['init', '--no-hooks', '--ci', 'gitlab']).code).toBe(0);
    expect(other.cli(['init', '--no-hooks', '--ci', 'gitlab']).code).toBe(0);
    const text = readFileSync(join(other.dir, '.gitlab-ci.yml'), 'utf8');
    const doc = parse(text);
    expect(doc.build.script).toEqual(['make']);
    expect(doc['agent-sessions'].variables.GIT_DEPTH).toBe('0');
    expect(doc['agent-sessions'].script).toContain('npx agent-sessions check');
    expect(text.match(/^agent-sessions:/gm)?.length).toBe(1);
  });
});

describe('check --format github', () => {
  it('escapes data and properties as GitHub does', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('prints one valid workflow command per violation, even with hostile text', () => {
    const report = summarize('a..b', 'test', 1, [
      { rule: 'lifecycle', severity: 'error', message: 'bad: 100%,\nreally', fix: 'do x, then y', path: 'odd,dir/with:colon.md', commit: 'f'.repeat(40) },
      { rule: 'attribution', severity: 'warn', message: 'plain', fix: 'fix', commit: 'e'.repeat(40) },
    ]);
    const lines = formatGithub(report).split('\n');
    expect(lines[0]).toMatch(COMMAND);
    expect(lines[0]).toContain('file=odd%2Cdir/with%3Acolon.md');
    expect(lines[1]).toMatch(/^::warning title=/);
    expect(lines[1]).toMatch(COMMAND);
  });

  it('annotates a real violation and appends a Markdown summary to $GITHUB_STEP_SUMMARY', () => {
    const clone = makeRepo();
    cleanHistory(clone);
    const start = clone.git('rev-parse', 'HEAD').trim();
    const sha = BAD_CASES.find((c) => c.rule === 'lifecycle')!.make(clone);
    const summary = join(tempDir(), 'summary.md');
    const result = clone.cli(['check', '--range', `${start}..HEAD`, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations.length).toBeGreaterThan(0);
    for (const line of annotations) expect(line).toMatch(COMMAND);
    expect(annotations.join('\n')).toContain(sha.slice(0, 12));
    expect(existsSync(summary)).toBe(true);
    expect(readFileSync(summary, 'utf8')).toMatch(/\| error \| lifecycle \|/);
  });

  it('json carries rule, commit, path, message, fix, severity and counts', () => {
    // A clean range first: no violations, the counts say so.
    const clean = repo.cli(['check', '--range', `${baseHead}~2..${baseHead}`, '--format', 'json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ summary: { errors: 0, warnings: 0, commits: 2 }, violations: [] });
    // Then one real violation with a path (an edit of an active SESSION.md) and one without.
    const clone = makeRepo();
    cleanHistory(clone);
    const start = clone.git('rev-parse', 'HEAD').trim();
    const edit = BAD_CASES.find((c) => c.rule === 'session-md-readonly')!.make(clone);
    const unprefixed = BAD_CASES.find((c) => c.rule === 'message-format')!.make(clone);
    const result = clone.cli(['check', '--range', `${start}..HEAD`, '--format', 'json']);
    expect(result.code, result.stderr).toBe(1);
    const doc = JSON.parse(result.stdout);
    const edited = doc.violations.find((v: { rule: string }) => v.rule === 'session-md-readonly');
    expect(edited).toEqual({
      rule: 'session-md-readonly',
      severity: 'error',
      commit: edit,
      path: `${S}/active/${ACTIVE}/SESSION.md`,
      line: null,
      message: expect.stringMatching(/SESSION\.md/),
      fix: expect.stringMatching(/\S/),
    });
    const message = doc.violations.find((v: { rule: string }) => v.rule === 'message-format');
    expect(message).toMatchObject({ severity: 'error', commit: unprefixed, path: null, message: expect.stringMatching(/\S/), fix: expect.stringMatching(/\S/) });
    const errors = doc.violations.filter((v: { severity: string }) => v.severity === 'error').length;
    expect(doc.summary).toMatchObject({ errors, warnings: doc.violations.length - errors, commits: 2 });
    expect(errors).toBeGreaterThanOrEqual(2);
  });
});
