// The drift report: pure comparison rules, then on a real session (claim, work, drift,
// complete) where complete must archive completed/<slug>/drift.md in its one commit.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namedPaths, renderDrift, summarizeDrift } from '../src/drift.ts';
import { cloneAgent, git, makeHub, makeRepo } from './helpers/repo.ts';

const SESSION = `---\nslug: 2026-01-01-parser\n---\n# Session: Parser\n\n## Acceptance Criteria\n- [ ] parses nested brackets in \`src/parser.ts\`\n- [ ] reports errors with line numbers\n\n## Subsessions\n1. write the lexer (red: a failing test; green: make it pass; refactor)\n\n## Notes\nSee \`docs/grammar.md\` and https://example.test/x and \`npm test\`.\n`;

describe('drift (pure)', () => {
  it('traces criteria, subsessions and named paths', () => {
    const input = {
      slug: '2026-01-01-parser',
      sessionMd: SESSION,
      activePlan: '## Now\n- [x] parses nested brackets\n',
      worklog: '- 10:00 write the lexer: done\n',
      subsessions: '- cache the tokens\n',
      files: ['src/parser.ts', 'src/cache.ts'],
      commits: [{ hash: 'b'.repeat(40), time: 7200, subject: '[s] feat: b' }, { hash: 'a'.repeat(40), time: 3600, subject: '[s] feat: a' }],
      claimedAt: 0,
    };
    const s = summarizeDrift(input);
    expect(s.criteria.map((c) => c.trace)).toEqual(['ticked', 'none']);
    expect(s.plannedSubsessions).toEqual([{ item: 'write the lexer', trace: 'mentioned', where: 'worklog.md' }]);
    expect(s.addedSubsessions).toEqual(['cache the tokens']);
    expect(s.namedPaths).toEqual([{ path: 'src/parser.ts', touched: true }, { path: 'docs/grammar.md', touched: false }]);
    expect(s.unnamedChanges).toEqual(['src/cache.ts']);
    const md = renderDrift(input);
    expect(md).toBe(renderDrift(input));
    expect(md).toContain('- Acceptance criteria: 1 of 2 with a trace');
    expect(md).toContain('| reports errors with line numbers | **no trace** |');
    expect(md).toContain('2h 0m in all');
    expect(md.indexOf('[s] feat: a')).toBeLessThan(md.indexOf('[s] feat: b'));
    expect(namedPaths('`npm test` `https://x.y/z` `-rf` `a/b/` `README.md`')).toEqual(['a/b/', 'README.md']);
  });
});

describe('drift on a real session', () => {
  it('reports an active session, and complete archives drift.md in the completion commit', () => {
    const planner = makeRepo();
    const made = planner.cli(['new', '2026-01-01-parser', '--criteria', 'parses nested brackets in `src/parser.ts`', '--criteria', 'reports errors with line numbers', '--subsession', 'write the lexer']);
    expect(made.code, made.stderr).toBe(0);
    expect(planner.cli(['ready', '2026-01-01-parser']).code).toBe(0);
    const hub = makeHub(planner);
    const agent = cloneAgent(hub, 'alice');
    const slug = '2026-01-01-parser';
    const claimed = agent.cli(['claim', slug, '--json']);
    expect(claimed.code, claimed.stderr).toBe(0);
    const wt = claimed.json.path as string;
    const dir = join(wt, '_AGENTS/sessions/active', slug);
    mkdirSync(join(wt, 'src'), { recursive: true });
    writeFileSync(join(wt, 'src/parser.ts'), 'export {};\n');
    writeFileSync(join(wt, 'src/extra.ts'), 'export {};\n');
    writeFileSync(join(dir, 'active-plan.md'), '## Now\n- [x] parses nested brackets\n');
    writeFileSync(join(dir, 'worklog.md'), '- wrote the lexer\n');
    git(wt, 'add', 'src/parser.ts', 'src/extra.ts', `_AGENTS/sessions/active/${slug}/active-plan.md`, `_AGENTS/sessions/active/${slug}/worklog.md`);
    const commit = spawnSync('git', ['commit', '-q', '-m', `[${slug}] feat: parser`], { cwd: wt, encoding: 'utf8', env: { ...process.env, ...claimed.json.env } });
    expect(commit.status, commit.stderr).toBe(0);

    const report = agent.cli(['drift', slug, '--json']);
    expect(report.code, report.stderr).toBe(0);
    expect(report.json.summary.criteria.map((c: { trace: string }) => c.trace)).toEqual(['ticked', 'none']);
    expect(report.json.summary.unnamedChanges).toEqual(['src/extra.ts']);
    expect(report.json.markdown).toContain('- Change: 2 file(s), 1 commit(s)');

    const done = agent.cli(['complete', slug], { env: claimed.json.env });
    expect(done.code, done.stdout + done.stderr).toBe(0);
    const archived = git(hub, 'show', `main:_AGENTS/sessions/completed/${slug}/drift.md`);
    expect(archived).toContain(`# Drift report: ${slug}`);
    expect(archived).toContain('| reports errors with line numbers | **no trace** |');
    expect(git(hub, 'show', '--name-only', '--format=', 'main')).toContain(`_AGENTS/sessions/completed/${slug}/drift.md`);
    planner.git('pull', '-q', '--ff-only', 'origin', 'main');
    const after = planner.cli(['drift', slug]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`# Drift report: ${slug}`);
  });
});
