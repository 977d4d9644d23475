// The guard's policy (src/guard/policy.ts, git-call.ts, paths.ts, writes.ts) judged in-process
// on the guard table, with no git and no child process: the work tree is plain files (a `.git`
// folder marks its root, as workTreeOf looks for) and the branch comes from the case. This is
// the fast layer the mutation run uses; test/guard-table.test.ts runs the same table against
// real git and shows each effect.
import { describe, expect, it } from 'vitest';
import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeCommand, judgeFileWrite, type GuardContext } from '../../src/guard/policy.ts';
import { GUARD_CASES } from '../guard/cases.ts';

const S = '_AGENTS/sessions/active/2026-01-01-x/SESSION.md';
const root = mkdtempSync(join(tmpdir(), 'as-guard-policy-'));
for (const [path, text] of Object.entries({
  '.git/HEAD': 'ref: refs/heads/session/2026-01-01-x\n',
  'a.txt': 'a\n',
  'src/a.ts': 'export {};\n',
  'docs/readme.md': '# docs\n',
  [S]: '# Plan\n',
  '_AGENTS/sessions/planned/2026-01-02-y/SESSION.md': '# Plan y\n',
  '_AGENTS/sessions/active/2026-01-01-x/worklog.md': '',
  '_AGENTS/sessions/completed/2025-12-01-done/SESSION.md': '# Done\n',
  'src/new.ts': 'export const n = 1;\n',
  'docs/new.md': 'new\n',
  'new.txt': 'new\n',
  'list.txt': '.\n',
})) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}
symlinkSync(S, join(root, 'notes-link.md'));
linkSync(join(root, S), join(root, 'hard-link.md'));

const context = (branch: string | undefined, sub = '', more: Partial<GuardContext> = {}): GuardContext => ({
  cwd: join(root, sub),
  mainBranch: 'main',
  sessionsPath: '_AGENTS/sessions',
  currentBranch: () => branch,
  ...more,
});

describe('guard policy on the guard table (no git)', () => {
  it.each(GUARD_CASES.map((c) => [c.verdict, JSON.stringify(c.command), c] as const))('%s %s', (_v, _s, c) => {
    const judged = judgeCommand(c.command.replaceAll('{root}', root), context(c.branch ?? 'session/2026-01-01-x', c.cwd));
    expect(judged.verdict, judged.reason).toBe(c.verdict);
    expect(`${judged.reason}${judged.fix}`).not.toContain('\u0000'); // a run-time value reads `$…`
    if (c.verdict === 'block') {
      expect(judged.findings.map((f) => f.id)).toContain(c.id);
      expect(judged.reason).toBe(judged.findings.map((f) => f.reason).join('; '));
      expect(judged.fix).toBe(judged.findings.map((f) => f.fix).join('; '));
      // What the agent reads, word for word (reviewed snapshot; the scratch path as {root}).
      expect(judged.findings.map((f) => `${f.id}: ${f.reason.replaceAll(root, '{root}')} | fix: ${f.fix}`)).toMatchSnapshot();
    } else {
      expect(judged).toEqual({ verdict: 'allow', reason: '', fix: '', findings: [] });
    }
  });
});
