// Real commits through the installed hooks (husky shims -> hooks/run.sh -> dist/hook.cjs),
// in the main checkout and in a linked worktree made by a plain `git worktree add`.
// Every refused case has a good twin that passes; a refusal leaves HEAD where it was.
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitTry, makeRepo, repoAt, type Repo } from './helpers/repo.ts';

const S = '2025-10-14-auth-system';
const O = '2025-10-15-billing';
const D = '_AGENTS/sessions';
const K = '_AGENTS/knowledge';
const SESSION_MD = '# Auth system\n\n## Acceptance criteria\n- login works\n';

let main: Repo;
let wt: Repo;
let worktreeAddErr = '';

function head(repo: Repo): string {
  return repo.git('rev-parse', 'HEAD').trim();
}

/** Commits `paths` (already written) with `message`; returns git's result and whether HEAD moved. */
function commit(repo: Repo, message: string, paths: string[], env: NodeJS.ProcessEnv = {}, extra: string[] = []) {
  const before = head(repo);
  if (paths.length) repo.git('add', '--', ...paths);
  const result = gitTry(repo.dir, ['commit', '-q', ...extra, '-m', message], env);
  const moved = head(repo) !== before;
  if (!moved && paths.length) gitTry(repo.dir, ['restore', '--staged', '--', ...paths]);
  return { code: result.status, stderr: result.stderr, moved };
}

function expectRefused(r: { code: number | null; stderr: string; moved: boolean }, pattern: RegExp) {
  expect(r.code).toBe(1);
  expect(r.moved).toBe(false);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

function expectPassed(r: { code: number | null; stderr: string; moved: boolean }) {
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  expect(r.moved).toBe(true);
}

beforeAll(() => {
  main = makeRepo();
  // Two sessions: S claimed (active, lock line), O planned. Made with --no-verify, as claim
  // builds its commit with commit-tree (no commit hooks).
  main.write(`${D}/planned/${O}/SESSION.md`, '# Billing\n');
  main.write(`${D}/active/${S}/SESSION.md`, SESSION_MD);
  main.write(`${D}/active/${S}/worklog.md`, '');
  main.write(`${D}/sessions.lock`, `${S}:1760400000\n`);
  main.git('add', '-A');
  main.git('commit', '-q', '--no-verify', '-m', `[${S}] chore: claim ${S}`);
  const add = gitTry(main.dir, ['worktree', 'add', '-q', '-b', `session/${S}`, join('.worktrees', S)]);
  if (add.status !== 0) throw new Error(add.stderr);
  worktreeAddErr = add.stderr;
  wt = repoAt(join(main.dir, '.worktrees', S));
}, 60_000);

describe('main checkout (no session)', () => {
  it('a header without a prefix is refused with the corrected header; [maint] passes', () => {
    main.write('a.txt', 'a\n');
    expectRefused(commit(main, 'add a', ['a.txt']), /message-format.*fix: commit again with the header: \[maint\] chore: add a/);
    expectPassed(commit(main, '[maint] chore: add a', ['a.txt']));
  });

  it('a slug that names no session is refused; an existing session passes', () => {
    main.write(`${D}/planned/${O}/SESSION.md`, '# Billing\n\nmore\n');
    expectRefused(commit(main, '[2025-01-01-ghost] docs: refine', [`${D}/planned/${O}/SESSION.md`]), /does not exist/);
    expectPassed(commit(main, `[${O}] docs: refine`, [`${D}/planned/${O}/SESSION.md`]));
  });

  it('canonical knowledge outside a session is refused; .gitkeep passes', () => {
    main.write(`${K}/auth.md`, 'x\n');
    expectRefused(commit(main, '[maint] docs: kb', [`${K}/auth.md`]), /kb-canonical.*git restore --staged/);
    main.write(`${K}/topics/.gitkeep`, '');
    expectPassed(commit(main, '[maint] chore: layout', [`${K}/topics/.gitkeep`]));
  });

  it('an empty message is refused with one clear line', () => {
    main.write('b.txt', 'b\n');
    expectRefused(commit(main, '', ['b.txt'], {}, ['--allow-empty-message']), /the commit message is empty/);
    expectPassed(commit(main, '[maint] chore: add b', ['b.txt']));
  });

  it("a merge commit with git's message is refused on main; a [maint] merge passes", () => {
    main.git('checkout', '-q', '-b', 'feature');
    main.write('f.txt', 'f\n');
    expectPassed(commit(main, '[maint] chore: feature work', ['f.txt']));
    main.git('checkout', '-q', 'main');
    const before = head(main);
    const merge = gitTry(main.dir, ['merge', '-q', '--no-ff', '--no-edit', 'feature']);
    expect(merge.status).not.toBe(0);
    expect(merge.stderr).toMatch(/merge commit .* may not land on main/);
    gitTry(main.dir, ['merge', '--abort']);
    expect(head(main)).toBe(before);
    const good = gitTry(main.dir, ['merge', '-q', '--no-ff', '-m', '[maint] chore: merge feature', 'feature']);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
  });

  it('works from a subdirectory, with -F and a CRLF message file', () => {
    main.write('sub/dir/e.txt', 'e\n');
    main.git('add', 'sub/dir/e.txt');
    const msg = join(main.dir, '..', 'msg-crlf.txt');
    writeFileSync(msg, 'add e\r\n\r\nbody\r\n');
    const bad = gitTry(join(main.dir, 'sub', 'dir'), ['commit', '-q', '-F', msg]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/\[maint\] chore: add e$/m);
    writeFileSync(msg, '[maint] chore: add e\r\n\r\nbody\r\n');
    const good = gitTry(join(main.dir, 'sub', 'dir'), ['commit', '-q', '-F', msg]);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
  });

  it('a missing package lets the commit through with one line (CI catches the rest)', () => {
    const link = join(main.dir, 'node_modules', 'agent-sessions');
    renameSync(link, `${link}.away`);
    try {
      main.write('g.txt', 'g\n');
      const r = commit(main, 'no prefix at all', ['g.txt']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/agent-sessions: not installed .*checks skipped/);
    } finally {
      renameSync(`${link}.away`, link);
    }
  });

  it('AGENT_SESSIONS=0 skips with one line', () => {
    main.write('c.txt', 'c\n');
    const r = commit(main, 'whatever', ['c.txt'], { AGENT_SESSIONS: '0' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/AGENT_SESSIONS=0, commit-msg checks skipped/);
  });

  it('the hooks start Node without NODE_EXTRA_CA_CERTS (no hook opens TLS; the bundle costs every start)', () => {
    // A bundle Node cannot read makes Node print a warning as it starts: a hook that kept the
    // variable would show it on every commit.
    main.write('ca.txt', 'ca\n');
    const r = commit(main, '[maint] chore: certificates left out', ['ca.txt'], { NODE_EXTRA_CA_CERTS: join(main.dir, 'no-such-bundle.pem') });
    expectPassed(r);
    expect(r.stderr).not.toMatch(/extra certs/i);
  });

  it('a crashing rule prints one line naming it and refuses; an unknown rule id in config exits 2', () => {
    const config = main.read('agent-sessions.config.json');
    try {
      writeFileSync(join(main.dir, 'agent-sessions.config.json'), JSON.stringify({ rules: { 'staged-scope': ['error', { strayPatterns: [42] }] } }));
      main.write('d.txt', 'd\n');
      const crash = commit(main, '[maint] chore: d', ['d.txt']);
      expectRefused(crash, /rule staged-scope failed internally/);
      expect(crash.stderr.split('\n').filter((l) => l.startsWith('agent-sessions'))).toHaveLength(1);
      writeFileSync(join(main.dir, 'agent-sessions.config.json'), JSON.stringify({ rules: { 'no-such-rule': 'error' } }));
      expectRefused(commit(main, '[maint] chore: d', ['d.txt']), /unknown rule id "no-such-rule".*use one of: message-format/);
    } finally {
      writeFileSync(join(main.dir, 'agent-sessions.config.json'), config);
    }
    expectPassed(commit(main, '[maint] chore: d', ['d.txt']));
  });
});

describe('linked worktree made by a plain `git worktree add` (session branch)', () => {
  it('post-checkout made SESSION.md of the active session read-only and printed the activation line', () => {
    expect(statSync(join(wt.dir, D, 'active', S, 'SESSION.md')).mode & 0o777).toBe(0o444);
    expect(statSync(join(wt.dir, D, 'planned', O, 'SESSION.md')).mode & 0o777).toBe(0o644);
    // the CLI by absolute path: a devDependency puts no bin on PATH
    expect(worktreeAddErr).toMatch(new RegExp(`eval "\\$\\('/[^']*/node_modules/\\.bin/agent-sessions' env ${S}\\)"`));
  });

  it('prepare-commit-msg prefixes the slug; hooks fire (a wrong slug is refused)', () => {
    wt.write('src/login.ts', 'export {};\n');
    expectRefused(commit(wt, `[${O}] feat: add login`, ['src/login.ts']), /names session 2025-10-15-billing, but this commit is in session/);
    expectRefused(commit(wt, '[maint] feat: add login', ['src/login.ts']), /outside sessions/);
    expectPassed(commit(wt, 'feat: add login', ['src/login.ts']));
    expect(wt.git('log', '-1', '--format=%s').trim()).toBe(`[${S}] feat: add login`);
  });

  it('amend --no-edit keeps the message as it was', () => {
    wt.write('src/login.ts', 'export const x = 1;\n');
    wt.git('add', 'src/login.ts');
    const r = gitTry(wt.dir, ['commit', '-q', '--amend', '--no-edit']);
    expect(r.status).toBe(0);
    expect(wt.git('log', '-1', '--format=%s').trim()).toBe(`[${S}] feat: add login`);
  });

  it('an editor commit gets the prefix on its first line, whatever core.commentChar is', () => {
    for (const char of ['#', ';']) {
      wt.write(`src/editor-${char === '#' ? 'hash' : 'semi'}.ts`, 'x\n');
      wt.git('add', '--', `src/editor-${char === '#' ? 'hash' : 'semi'}.ts`);
      const r = gitTry(wt.dir, ['-c', `core.commentChar=${char}`, 'commit', '-q'], { GIT_EDITOR: `sed -i '1 s/$/feat: typed in the editor/'` });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(wt.git('log', '-1', '--format=%B').trim()).toBe(`[${S}] feat: typed in the editor`);
    }
  });

  it('editing the active SESSION.md is refused; the OVERRIDE form passes', () => {
    const file = join(wt.dir, D, 'active', S, 'SESSION.md');
    writeFileSync(file, `${SESSION_MD}- also this\n`, { mode: 0o644 });
    expectRefused(commit(wt, `[${S}] docs: tweak`, [`${D}/active/${S}/SESSION.md`]), /session-md-readonly.*OVERRIDE/);
    expectPassed(commit(wt, `[${S}] OVERRIDE: criterion was impossible`, [`${D}/active/${S}/SESSION.md`]));
  });

  it("staging another session's folder is refused; the own worklog passes", () => {
    wt.write(`${D}/planned/${O}/notes.md`, 'x\n');
    expectRefused(commit(wt, `[${S}] docs: notes`, [`${D}/planned/${O}/notes.md`]), /belongs to session 2025-10-15-billing.*git restore --staged/);
    wt.git('rm', '-q', '--cached', '--ignore-unmatch', `${D}/planned/${O}/notes.md`);
    gitTry(wt.dir, ['clean', '-q', '-f', '--', `${D}/planned/${O}/notes.md`]);
    wt.write(`${D}/active/${S}/worklog.md`, 'did x\n');
    expectPassed(commit(wt, `[${S}] docs: worklog`, [`${D}/active/${S}/worklog.md`]));
  });

  it('canonical knowledge from a non-kb session is refused; its own learnings pass', () => {
    wt.write(`${K}/auth.md`, 'x\n');
    expectRefused(commit(wt, `[${S}] docs: kb`, [`${K}/auth.md`]), /only kb- sessions/);
    wt.write(`${K}/sessions/${S}/learnings.md`, 'learned\n');
    expectPassed(commit(wt, `[${S}] docs: learnings`, [`${K}/sessions/${S}/learnings.md`]));
    gitTry(wt.dir, ['clean', '-q', '-f', '--', `${K}/auth.md`]);
  });

  it('`git add .` sweeping in a stray file is refused; named files, `git add src/` and `commit -a` pass', () => {
    wt.write('src/a.ts', 'a\n');
    wt.write('debug.log', 'noise\n');
    wt.git('add', '.');
    const swept = commit(wt, `[${S}] feat: a`, []);
    expectRefused(swept, /debug\.log looks swept in/);
    wt.git('restore', '--staged', '--', '.');
    expectPassed(commit(wt, `[${S}] feat: a`, ['src/a.ts'])); // debug.log stays untracked
    wt.write('src/b.ts', 'b\n');
    wt.git('add', 'src/');
    expectPassed(commit(wt, `[${S}] feat: b`, []));
    wt.write('src/a.ts', 'a2\n');
    expectPassed(commit(wt, `[${S}] fix: a`, [], {}, ['-a']));
  });

  it('comment lines, the scissors line and core.commentChar are handled like git', () => {
    wt.write('src/c.ts', 'c\n');
    wt.git('add', 'src/c.ts');
    const editor = (text: string) => ({ GIT_EDITOR: `sh -c 'printf "%s" "$0" > "$1"' '${text}'` });
    const onlyComments = gitTry(wt.dir, ['commit', '-q', '-v'], editor('# nothing here\n# ------------------------ >8 ------------------------\n+diff'));
    expect(onlyComments.status).toBe(1);
    expect(onlyComments.stderr).toMatch(/empty/);
    wt.git('config', 'core.commentChar', ';');
    try {
      const semi = gitTry(wt.dir, ['commit', '-q', '-v'], editor(`;[${O}] feat: not me\n[${S}] feat: add c\n; ------------------------ >8 ------------------------\n[${O}] diff text`));
      expect(semi.stderr).toBe('');
      expect(semi.status).toBe(0);
    } finally {
      wt.git('config', '--unset', 'core.commentChar');
    }
    expect(wt.git('log', '-1', '--format=%s').trim()).toBe(`[${S}] feat: add c`);
  });

  it('rebase -i reword runs commit-msg on the rebased branch (detached HEAD)', () => {
    const tip = head(wt);
    const reword = (message: string) => ({
      GIT_SEQUENCE_EDITOR: `sed -i '1 s/^pick/reword/'`,
      GIT_EDITOR: `sh -c 'printf "%s\\n" "$0" > "$1"' '${message}'`,
    });
    const bad = gitTry(wt.dir, ['rebase', '-q', '-i', 'HEAD~1'], reword(`[${O}] feat: stolen`));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/but this commit is in session 2025-10-14-auth-system/);
    gitTry(wt.dir, ['rebase', '--abort']);
    expect(head(wt)).toBe(tip);
    const good = gitTry(wt.dir, ['rebase', '-q', '-i', 'HEAD~1'], reword(`[${S}] feat: add c, reworded`));
    expect(good.status).toBe(0);
    expect(wt.git('log', '-1', '--format=%s').trim()).toBe(`[${S}] feat: add c, reworded`);
  });

  it("merging main into the session branch with git's message passes (squashed away later)", () => {
    const r = gitTry(wt.dir, ['merge', '-q', '--no-ff', '--no-edit', 'main']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(git(wt.dir, 'log', '-1', '--format=%s').trim()).toMatch(/^Merge branch 'main'/);
  });

  it("concluding a conflicted merge of main passes, though main brought another session's files", () => {
    main.write('shared.txt', 'main side\n');
    main.write(`${D}/planned/${O}/SESSION.md`, '# Billing\n\nrefined on main\n');
    main.git('add', 'shared.txt', `${D}/planned/${O}/SESSION.md`);
    main.git('commit', '-q', '--no-verify', '-m', `[${O}] docs: refine`);
    wt.write('shared.txt', 'session side\n');
    expectPassed(commit(wt, `[${S}] feat: shared`, ['shared.txt']));
    const merge = gitTry(wt.dir, ['merge', '-q', '--no-edit', 'main']);
    expect(merge.status).not.toBe(0); // conflict: no hook ran yet
    wt.write('shared.txt', 'both sides\n');
    wt.git('add', 'shared.txt');
    const done = gitTry(wt.dir, ['commit', '-q', '--no-edit']);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(wt.git('log', '-1', '--format=%P').trim().split(' ')).toHaveLength(2);
  });
});
