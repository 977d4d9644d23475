// The guard's write and pathspec edges the full mutation run left alive (src/guard/writes.ts,
// paths.ts), on plain-file work trees with no git: option words among the operands, sed
// scripts that only look like -i, find filters, a missing state folder, a dot sessions folder,
// a work tree reached through a symlink, a run-time prefix in front of SESSION.md.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepingPathspecs, workTreeOf } from '../../src/guard/paths.ts';
import { judgeCommand, mayReachSessionFile, type GuardContext } from '../../src/guard/policy.ts';
import { literalWord } from '../../src/guard/words.ts';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'as-guard-writes-'));
  for (const [path, text] of Object.entries({ '.git/HEAD': 'ref: refs/heads/main\n', ...files })) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const S = '_AGENTS/sessions/active/2026-01-01-x/SESSION.md';
// No completed/ folder, an active folder without SESSION.md, a symlink (not a hard link) to one.
const root = tree({ [S]: '# Plan\n', '_AGENTS/sessions/active/2026-01-02-empty/worklog.md': '', 'a.txt': 'a\n', 'my-dir/x': '' });
symlinkSync(S, join(root, 'notes-link.md'));
const ctx = (cwd = root, more: Partial<GuardContext> = {}): GuardContext => ({ cwd, mainBranch: 'main', sessionsPath: '_AGENTS/sessions', currentBranch: () => 'session/x', ...more });
const verdict = (line: string, facts = ctx()) => {
  const judged = judgeCommand(line, facts);
  return judged.findings.length ? judged.findings.map((f) => f.id).join(',') : 'allow';
};

describe('writes that reach a frozen SESSION.md, and ones that do not', () => {
  it.each([
    [`cp a.txt ${S} -v`, 'session-md-readonly'],
    [`cp a.txt ${S} src/`, 'allow'],
    [`ln ${S} x.md`, 'session-md-readonly'],
    ['cp', 'allow'],
    ['cp -t', 'allow'],
    [`sed s/x-i/y/ ${S}`, 'allow'],
    [`sed s/--in-place/y/ ${S}`, 'allow'],
    [`dd if=${S} of=b.txt`, 'allow'],
    ['find my-dir -delete', 'allow'],
    ['find _AGENTS -name "*.log" -o -name "*.md" -delete', 'session-md-readonly'],
    ['find _AGENTS -name session.md -delete', 'session-md-readonly'],
    ['find _AGENTS -name "*.md" -delete', 'session-md-readonly'],
    ['echo _AGENTS -delete', 'allow'],
    ['rm x-r _AGENTS/sessions/active', 'allow'],
    ['rm -fr _AGENTS/sessions/active', 'session-md-readonly'],
    ['rm -rf _AGENTS/sessions/completed', 'allow'],
    ['tee notes-link.md', 'session-md-readonly'],
    ['echo x > "${D}SESSION.md"', 'shell-unreadable'],
    ['echo x > "$D/SESSION.md.bak"', 'allow'],
  ])('%j: %s', (line, expected) => {
    expect(verdict(line)).toBe(expected);
  });

  it('judges from outside any work tree without reading one', () => {
    const outside = mkdtempSync(join(tmpdir(), 'as-guard-outside-'));
    expect(verdict('rm -rf x', ctx(outside))).toBe('allow');
    expect(verdict('rm *', ctx(outside))).toBe('allow');
  });

  it('a work tree reached through a symlink, a sessions folder that starts with a dot', () => {
    const linkParent = mkdtempSync(join(tmpdir(), 'as-guard-link-'));
    symlinkSync(root, join(linkParent, 'repo'));
    expect(verdict('rm -rf _AGENTS', ctx(join(linkParent, 'repo')))).toBe('session-md-readonly');
    const dotted = tree({ '.agents/active/2026-01-01-x/SESSION.md': '# Plan\n' });
    expect(verdict('rm */active/*/SESSION.md', ctx(dotted, { sessionsPath: '.agents' }))).toBe('session-md-readonly');
  });

  it('a symlink to a SESSION.md may reach one even with a single link count', () => {
    expect(mayReachSessionFile(join(root, 'notes-link.md'))).toBe(true);
    expect(mayReachSessionFile(join(root, 'a.txt'))).toBe(false);
  });
});

describe('pathspecs from a subfolder', () => {
  const src = join(root, 'my-dir');
  const sweep = (spec: string, dir = src) => sweepingPathspecs([literalWord(spec)], [dir], workTreeOf);
  it.each([
    ['', false],
    [':(attr:a)', true],
    [':( top )', true],
    [':(glob)*', false],
    [':(glob)', false],
    ['..', true],
  ])('%j sweeps: %s', (spec, sweeps) => {
    expect(sweep(spec).sweeping !== undefined).toBe(sweeps);
  });
  it('from the root: its parent and a wildcard after ..', () => {
    expect(sweep('..', root)).toEqual({ sweeping: '..' });
    expect(sweep('x/../*', root)).toEqual({ sweeping: 'x/../*' });
  });
});
