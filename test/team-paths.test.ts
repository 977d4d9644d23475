// Fast checks of the team paths (issue 12) on the helpers' linked package; the same paths are
// driven end to end from a shell in test/scenarios/.
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { makeLayout } from '../src/layout.ts';
import { applySessionModes } from '../src/session-modes.ts';
import { renderTemplate } from '../src/templates.ts';
import { git, linkPackage, makeHub, makeRepo, repoAt, tempDir } from './helpers/repo.ts';

function freshRepo(branch: string) {
  const dir = tempDir('as-team-');
  git(dir, 'init', '-q', '-b', branch);
  writeFileSync(join(dir, 'README.md'), '# x\n');
  git(dir, 'add', 'README.md');
  git(dir, 'commit', '-q', '-m', 'initial');
  linkPackage(dir);
  return repoAt(dir);
}

describe('init: the guarded branch and the ignore lines', () => {
  it('no hub: the current branch (master) is written, and node_modules/ is ignored', () => {
    const repo = freshRepo('master');
    const r = repo.cli(['init', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.mainBranch).toEqual({ name: 'master', source: 'current branch' });
    expect(JSON.parse(repo.read('agent-sessions.config.json')).git.mainBranch).toBe('master');
    expect(repo.read('.gitignore').split('\n')).toContain('node_modules/');
    expect(repo.read('_AGENTS/sessions/SESSIONS-README.md')).toMatch(/commits on `master`/);
  });

  it("a hub: its default branch wins over the local branch's name", () => {
    const repo = freshRepo('trunk');
    const hub = join(tempDir('as-team-hub-'), 'hub.git');
    git(repo.dir, 'init', '-q', '--bare', '-b', 'trunk', hub);
    repo.git('remote', 'add', 'origin', hub);
    repo.git('push', '-q', 'origin', 'trunk');
    repo.git('checkout', '-q', '-b', 'feature');
    const r = repo.cli(['init', '--json']);
    expect(r.json.mainBranch).toEqual({ name: 'trunk', source: 'hub' });
  });

  it('an existing node_modules line is not added twice; the printed git add line names only what init wrote', () => {
    const repo = freshRepo('main');
    writeFileSync(join(repo.dir, '.gitignore'), 'node_modules\n');
    const r = repo.cli(['init']);
    expect(repo.read('.gitignore').match(/node_modules/g)).toHaveLength(1);
    const line = /git add (.+) && git commit/.exec(r.stdout)![1]!;
    expect(line.split(' ')).toContain('.gitignore');
    expect(line).not.toMatch(/node_modules|(^| )-A( |$)|(^| )\.( |$)/);
  });
});

describe('templates under the seed names', () => {
  it('session-env.template.j2 is used; a symlinked alias pointing outside is not', () => {
    const repo = makeRepo();
    const templates = join(repo.dir, '_AGENTS/sessions/_templates');
    writeFileSync(
      join(templates, 'session-env.template.j2'),
      ['# from the seed name', ...['SESSION_SLUG={{ SESSION_SLUG }}', 'GIT_AUTHOR_NAME={{ USER_NAME }}', 'GIT_AUTHOR_EMAIL={{ USER_EMAIL }}', 'GIT_COMMITTER_NAME={{ USER_NAME }}', 'GIT_COMMITTER_EMAIL={{ USER_EMAIL }}'].map((l) => `export ${l}`), ''].join('\n'),
    );
    const outside = join(tempDir('as-team-out-'), 'evil.j2');
    writeFileSync(outside, '# outside\nexport SESSION_SLUG={{ SESSION_SLUG }}\n');
    symlinkSync(outside, join(templates, 'kb-merge-SESSION.md'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: templates');
    repo.cli(['new', '2025-03-01-alias-check', '--criteria', 'ok']);
    repo.cli(['ready', '2025-03-01-alias-check']);
    makeHub(repo);
    const r = repo.cli(['claim', '2025-03-01-alias-check', '--agent-name', 'A', '--agent-email', 'a@example.test', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(r.json.sessionDir, '.session-env'), 'utf8')).toMatch(/^# from the seed name/);
    expect(existsSync(join(r.json.sessionDir, 'subsessions.md'))).toBe(true);
    const layout = makeLayout(repo.dir, loadConfig(repo.dir));
    // The alias is read like the name itself: a link is refused (exit 2, naming it), never followed.
    expect(() => renderTemplate('kb-merge-SESSION.md.j2', { SESSION_SLUG: 'kb-2025-03-01-x' }, layout)).toThrow(/kb-merge-SESSION\.md is a symbolic link/);
  });
});

describe('hostile repository content', () => {
  it('SESSION.md modes never chmod the target of a symlinked SESSION.md', () => {
    const dir = tempDir('as-team-modes-');
    const target = join(tempDir('as-team-target-'), 'precious');
    writeFileSync(target, 'x', { mode: 0o644 });
    mkdirSync(join(dir, 's/active/2025-01-01-a'), { recursive: true });
    symlinkSync(target, join(dir, 's/active/2025-01-01-a/SESSION.md'));
    applySessionModes(dir, 's');
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it('board refuses to write through a symlinked BOARD.md (exit 2, naming the link) and the target is untouched', () => {
    const repo = makeRepo();
    const target = join(tempDir('as-team-target-'), 'elsewhere.md');
    writeFileSync(target, 'mine\n');
    symlinkSync(target, join(repo.dir, '_AGENTS/sessions/BOARD.md'));
    const r = repo.cli(['board', '--local', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('symlink-refused');
    expect(readFileSync(target, 'utf8')).toBe('mine\n');
  });
});
