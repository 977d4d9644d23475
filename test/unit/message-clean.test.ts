// core.commentChar read from git's config files without spawning git (later files win, the
// core section only, quotes, `auto`, -c on the command line), and cleanup edge cases.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanMessage, readCommentChar } from '../../src/message/clean.ts';

function setup(files: { global?: string; xdg?: string; common?: string; worktree?: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'as-commentchar-'));
  const common = join(dir, 'repo.git');
  const gitDir = join(common, 'worktrees', 'wt');
  mkdirSync(gitDir, { recursive: true });
  mkdirSync(join(dir, 'xdg', 'git'), { recursive: true });
  if (files.global !== undefined) writeFileSync(join(dir, 'global'), files.global);
  if (files.xdg !== undefined) writeFileSync(join(dir, 'xdg', 'git', 'config'), files.xdg);
  if (files.common !== undefined) writeFileSync(join(common, 'config'), files.common);
  if (files.worktree !== undefined) writeFileSync(join(gitDir, 'config.worktree'), files.worktree);
  const env = { GIT_CONFIG_NOSYSTEM: '1', XDG_CONFIG_HOME: join(dir, 'xdg'), GIT_CONFIG_GLOBAL: join(dir, 'global') };
  return { gitDir, common, env };
}

describe('readCommentChar', () => {
  it("is '#' without any setting", () => {
    const { gitDir, common, env } = setup({});
    expect(readCommentChar(gitDir, common, env)).toBe('#');
  });

  it('reads core.commentChar from each file, later files winning', () => {
    const core = (c: string) => `[core]\n\tcommentChar = ${c}\n`;
    let s = setup({ xdg: core(';') });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe(';');
    s = setup({ xdg: core(';'), global: core('%') });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe('%');
    s = setup({ global: core('%'), common: core('!') });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe('!');
    s = setup({ common: core('!'), worktree: core('@') });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe('@');
  });

  it('only in the core section; quotes, case, CRLF and the one-line section form', () => {
    let s = setup({ common: '[user]\n\tcommentchar = x\n[core]\n\tbare = false\n' });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe('#');
    s = setup({ common: '[Core]\r\n\tCOMMENTCHAR = "%"  \r\n' });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe('%');
    s = setup({ common: '[core] commentchar=;\n' });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe(';');
    s = setup({ common: '[core]\n\tcommentchar = auto\n' });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe('#');
    s = setup({ common: '[core]\n\tcommentchar =\n' });
    expect(readCommentChar(s.gitDir, s.common, s.env)).toBe('#');
  });

  it('-c core.commentChar on the command line wins over every file', () => {
    const s = setup({ worktree: '[core]\n\tcommentchar = @\n' });
    expect(readCommentChar(s.gitDir, s.common, { ...s.env, GIT_CONFIG_PARAMETERS: "'user.name'='x' 'core.commentChar'='$'" })).toBe('$');
    expect(readCommentChar(s.gitDir, s.common, { ...s.env, GIT_CONFIG_PARAMETERS: "'user.name'='x'" })).toBe('@');
  });
});

describe('cleanMessage edges', () => {
  it('keeps comment-looking lines when there is no comment character', () => {
    expect(cleanMessage('[s] feat: x\n# kept\n', '')).toBe('[s] feat: x\n# kept');
  });
  it('cuts at the scissors line of a custom comment character, and turns lone CRs into line ends', () => {
    expect(cleanMessage('[s] feat: x\r; ------------------------ >8 ------------------------\rdiff', ';')).toBe('[s] feat: x');
    expect(cleanMessage('[s] feat: x\n# ------------------------ >8 ------------------------\nkept', ';')).toBe('[s] feat: x\n# ------------------------ >8 ------------------------\nkept');
  });
  it('strips trailing tabs and spaces, and blank runs inside', () => {
    expect(cleanMessage('a \t\n\n\n\nb\t \n \n')).toBe('a\n\nb');
    expect(cleanMessage('a\n#\n\nb')).toBe('a\n\nb');
  });
});

describe('edges the mutation run found', () => {
  it('reads one line at a time: keys after it, look-alike keys, brackets in values, indented and unspaced sections', () => {
    const read = (text: string) => {
      const s = setup({ common: text });
      return readCommentChar(s.gitDir, s.common, s.env);
    };
    expect(read('[core]\n\tcommentchar = ;\n\tbare = false\n')).toBe(';');
    expect(read('[core]\n\tnocommentchar = ;\n')).toBe('#');
    expect(read('[user]\n\tname = a [core]\n\tcommentchar = x\n')).toBe('#');
    expect(read('  [core]\n\tcommentchar = !\n')).toBe('!');
    expect(read('[core]commentchar=!\n')).toBe('!');
    expect(read('[core]\n\tcommentchar = "ab"\n')).toBe('ab');
    expect(read('[core]\n\tcommentchar = x"y"\n')).toBe('x"y"');
    expect(read('[core]\n\tcommentchar = "a"b\n')).toBe('"a"b');
  });

  it('takes a multi-character -c value', () => {
    const s = setup({});
    expect(readCommentChar(s.gitDir, s.common, { ...s.env, GIT_CONFIG_PARAMETERS: "'core.commentchar'='ab'" })).toBe('ab');
  });

  it('a scissors line is recognised by its start', () => {
    expect(cleanMessage('[s] feat: x\n# ------------------------ >8 ------------------------ (kept out)\ndiff')).toBe('[s] feat: x');
  });
});
