// The guard policy's parts, one by one, with no git and no child process: how git reads its
// arguments (git-call.ts), which pathspecs sweep the tree (paths.ts), which writes reach a
// frozen SESSION.md (writes.ts), and more command lines through the policy (policy.ts) than
// the guard table holds: each asserted verdict plus its reason and fix pinned word for word
// (reviewed snapshot, the scratch path shown as {root}). Found by the mutation run.
import { describe, expect, it } from 'vitest';
import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asGitCall, configKey, longOption, OPTIONS, parseArgs, splitAlias } from '../../src/guard/git-call.ts';
import { realTarget, sweepingPathspecs, workTreeOf } from '../../src/guard/paths.ts';
import { checkFileWrite, judgeCommand, judgeFileWrite, mayReachSessionFile, type GuardContext } from '../../src/guard/policy.ts';
import { analyzeShell, UNKNOWN } from '../../src/guard/shell.ts';
import { literalWord } from '../../src/guard/words.ts';

const S = '_AGENTS/sessions/active/2026-01-01-x/SESSION.md';
const root = mkdtempSync(join(tmpdir(), 'as-guard-parts-'));
for (const [path, text] of Object.entries({
  '.git/HEAD': 'ref: refs/heads/session/2026-01-01-x\n',
  'a.txt': 'a\n',
  'src/a.ts': 'export {};\n',
  [S]: '# Plan\n',
  '_AGENTS/sessions/completed/2025-12-01-done/SESSION.md': '# Done\n',
  '_AGENTS/sessions/planned/2026-01-02-y/SESSION.md': '# Plan y\n',
})) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}
symlinkSync(S, join(root, 'notes-link.md'));
symlinkSync('_AGENTS/sessions/active', join(root, 'active-link'));
linkSync(join(root, S), join(root, 'hard-link.md'));
const outside = mkdtempSync(join(tmpdir(), 'as-guard-outside-'));

const context = (branch: string | undefined = 'session/2026-01-01-x', sub = '', more: Partial<GuardContext> = {}): GuardContext => ({
  cwd: join(root, sub),
  mainBranch: 'main',
  sessionsPath: '_AGENTS/sessions',
  currentBranch: () => branch,
  ...more,
});

const w = literalWord;
const dyn = (text: string) => ({ text, dynamic: true, glob: false });
const names = (args: string[], sub: keyof typeof OPTIONS) => {
  const parsed = parseArgs(args.map(w), OPTIONS[sub]!);
  return { options: parsed.options.map((o) => `${o.name}${o.value ? `=${o.value.text}` : ''}`), operands: parsed.operands.map((o) => o.text) };
};

describe('git-call: how git reads a command', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ["'a b' c", ['a b', 'c']],
    ['"a \\"b\\"" c', ['a "b"', 'c']],
    ["'it''s'", ['its']],
    ['a\\ b c', ['a b', 'c']],
    ["''", ['']],
    ['""  x', ['', 'x']],
    ['a\\', ['a\\']],
    ["'a\\b'", ['a\\b']],
    ['"a\\', ['a\\']],
    ['  ', []],
  ])('splits the alias %j like git', (value, words) => {
    expect(splitAlias(value)).toEqual(words);
  });

  it.each([
    ['Core.HooksPath', 'core.hookspath'],
    ['Remote.Origin.Push', 'remote.Origin.push'],
    ['ALIAS', 'alias'],
    ['Alias.Sv', 'alias.sv'],
  ])('configKey(%j) is %j', (raw, key) => {
    expect(configKey(raw)).toBe(key);
  });

  it('reads long options by their unique prefix, with values attached or in the next word', () => {
    expect(longOption('--al', OPTIONS.add!)).toBe('--all');
    expect(longOption('--all=x', OPTIONS.add!)).toBe('--all');
    expect(longOption('--no', OPTIONS.add!)).toBeUndefined();
    expect(longOption('--bogus', OPTIONS.add!)).toBeUndefined();
    expect(names(['--pathspec-from-file', 'list', '--chmod=+x', 'a', '--', '-A', '--all'], 'add')).toEqual({ options: ['--pathspec-from-file=list', '--chmod=+x'], operands: ['a', '-A', '--all'] });
    expect(names(['-m', 'msg', '-nq', '-Fx', '-uno', '-S', '-'], 'commit')).toEqual({ options: ['-m=msg', '-n', '-q', '-F=x', '-u=no', '-S', '-'.slice(1)].filter(Boolean), operands: ['-'] });
    expect(names(['--', ''], 'add')).toEqual({ options: [], operands: [''] });
    expect(names(['-', '--'], 'add')).toEqual({ options: [], operands: ['-'] });
    expect(names(['-m'], 'commit')).toEqual({ options: ['-m'], operands: [] });
    expect(names(['--message'], 'commit')).toEqual({ options: ['--message'], operands: [] });
    expect(names(['--mess=x y', 'z'], 'commit')).toEqual({ options: ['--message=x y'], operands: ['z'] });
    expect(names(['--no-veri', 'origin'], 'push')).toEqual({ options: ['--no-verify'], operands: ['origin'] });
    expect(names(['--unknown-x=1'], 'push')).toEqual({ options: ['--unknown-x=1'], operands: [] });
    const dynamic = parseArgs([w('-m'), w('x'), dyn(`${UNKNOWN}`), dyn(`-${UNKNOWN}`), dyn(`a${UNKNOWN}`)], OPTIONS.commit!);
    expect(dynamic.unknownWord?.text).toBe(UNKNOWN);
    expect(dynamic.operands.map((o) => o.text)).toEqual([UNKNOWN, `-${UNKNOWN}`, `a${UNKNOWN}`]);
  });

  const call = (line: string, aliases: Record<string, string> = {}, cwd = root) => {
    const { commands } = analyzeShell(line, cwd);
    const c = asGitCall(commands[0]!, (name, dir) => (dir === cwd ? aliases[name] : undefined));
    if (!c) return undefined;
    return {
      sub: c.sub.replace(UNKNOWN, '$?'),
      args: c.args.map((a) => a.text.replaceAll(UNKNOWN, '$?')),
      configs: c.configs.map((x) => `${x.key.replaceAll(UNKNOWN, '$?')}=${x.value.replaceAll(UNKNOWN, '$?')} (${x.origin.replaceAll(UNKNOWN, '$?')})`),
      dirs: c.dirs.map((d) => d.replace(root, '{root}').replace(UNKNOWN, '$?')),
      ...(c.unknown ? { unknown: c.unknown.replaceAll(UNKNOWN, '$?') } : {}),
      ...(c.shellAlias !== undefined ? { shellAlias: c.shellAlias } : {}),
      runtimeArgs: c.runtimeArgs,
    };
  };

  it.each([
    'git status',
    'ls -la',
    'git',
    'git -C src -c a.b=1 -c flag --no-pager add x',
    'git --git-dir=.git --work-tree=. -C /tmp/x --namespace n status',
    'git -c alias.co=checkout co main',
    "git -c alias.sv='!git add -A' sv a 'b c' \"$X\"",
    'git -c Alias.Ci=commit -c alias.ci=status ci',
    'git --config-env=core.hooksPath=ENV commit',
    'git --config-env core.hooksPath commit',
    'git --exec-path=/tmp status',
    'git --exec-path status',
    'git -c "$X" status',
    'git -c core.hooksPath status',
    '"$G" add .',
    'git "$SUB" -A',
    'git ci -m x',
    'git st',
    'git sv',
    'git loop',
    'git dyn',
    'git -C "$D" st',
    'GIT_CONFIG_PARAMETERS="\'core.hooksPath\'=\'/x\' \'alias.x=y\' \'a\'" git commit',
    'GIT_CONFIG_PARAMETERS="$P" git commit',
    'GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=Core.HooksPath GIT_CONFIG_VALUE_0=/x GIT_CONFIG_KEY_1="$K" git commit',
    'GIT_CONFIG_KEY_12=a.b git status',
    'GIT_CONFIG_GLOBAL=/tmp/g git status',
    'GIT_CONFIG_SYSTEM=/dev/null git status',
    'GIT_CONFIG="$C" git status',
    'GIT_EXEC_PATH=/x git status',
    'xargs git add',
  ])('reads %j', (line) => {
    expect(call(line, { ci: 'commit --no-verify', st: 'status -s', sv: '!git add -A', loop: 'loop', dyn: `commit ${UNKNOWN}` })).toMatchSnapshot();
  });
});

describe('paths: pathspecs that sweep the tree', () => {
  const top = (dir: string) => workTreeOf(dir);
  const sweep = (specs: Array<string | ReturnType<typeof dyn>>, dirs: string[] = [root]) =>
    sweepingPathspecs(
      specs.map((s) => (typeof s === 'string' ? w(s) : s)),
      dirs,
      top,
    );

  it.each([
    ['.', true],
    ['./', true],
    ['src/..', true],
    [root, true],
    ['*', true],
    ['**', true],
    ['[!.]*', true],
    ['.*', true],
    ['*.*', true],
    ['?*', true],
    ['*.ts', false],
    ['src', false],
    ['src/*', false],
    [':/', true],
    [':/src', false],
    [':(top)', true],
    [':(top,glob)', true],
    [':(TOP)', true],
    [':( top )', true],
    [':(top', false],
    [':(literal)*', false],
    [':(glob)*', true],
    [':(attr:foo)', true],
    [':(attr:foo)src', false],
    [':(exclude)src', true],
    [':!src', true],
    [':^src', true],
    [':/!src', true],
    ['::src', false],
    [':src', false],
    [':x', false],
    [':/:', true],
  ])('from the root, %j sweeps: %s', (spec, sweeps) => {
    expect(sweep([spec]).sweeping !== undefined).toBe(sweeps);
  });

  it('from a subfolder only what reaches the root sweeps; exclude-only always does', () => {
    const src = join(root, 'src');
    expect(sweep(['.'], [src])).toEqual({});
    expect(sweep(['..'], [src])).toEqual({ sweeping: '..' });
    expect(sweep(['*'], [src])).toEqual({});
    expect(sweep([':/'], [src])).toEqual({ sweeping: ':/' });
    expect(sweep([':(top)src'], [src])).toEqual({});
    expect(sweep([':!a', ':^b'], [src])).toEqual({ sweeping: ':!a :^b' });
    expect(sweep([':!a', 'x.ts'], [src])).toEqual({});
    expect(sweep([])).toEqual({});
    expect(sweep(['a.txt', '.'])).toEqual({ sweeping: '.' });
    expect(sweep(['.'], [src, root])).toEqual({ sweeping: '.' });
    // Outside any work tree: the directory itself is the base, the root is unknown.
    expect(sweep(['.'], [outside])).toEqual({ sweeping: '.' });
    expect(sweep([':/'], [outside])).toEqual({ sweeping: ':/' });
    expect(sweep([':/x'], [outside])).toEqual({});
    expect(sweep([':(attr:a)'], [outside])).toEqual({ sweeping: ':(attr:a)' });
  });

  it('from a directory it cannot tell, names below it pass and root-like ones are unknown', () => {
    const unknownDir = (spec: string) => sweep([spec], [UNKNOWN]);
    for (const spec of ['src/x.ts', 'x', '*.ts', 'a[b]*', ':(literal)*']) expect(unknownDir(spec), spec).toEqual({});
    for (const spec of ['.', '..', 'a/../..', '*', '[!.]*', '[a]*', '']) {
      expect(unknownDir(spec).unknown, spec).toBe(`\`${spec}\` runs in a directory the guard cannot tell (after a \`cd\` it cannot follow)`);
    }
    expect(unknownDir(':/')).toEqual({ sweeping: ':/' });
    expect(unknownDir(':/src')).toEqual({});
    expect(unknownDir(root)).toEqual({ sweeping: root });
    expect(sweep([dyn(`${UNKNOWN}x`)])).toEqual({ unknown: 'the pathspec "$…x" is known only at run time' });
  });

  it('finds the work tree and the real target of a write', () => {
    expect(workTreeOf(join(root, 'src'))).toBe(root);
    expect(workTreeOf(join(root, 'no/such/dir'))).toBe(root);
    expect(workTreeOf(outside)).toBeUndefined();
    expect(realTarget(join(root, 'notes-link.md'))).toBe(join(root, S));
    expect(realTarget(join(root, 'active-link', 'new.md'))).toBe(join(root, '_AGENTS/sessions/active/new.md'));
    expect(realTarget(join(root, 'no', 'such', 'file'))).toBe(join(root, 'no', 'such', 'file'));
    expect(realTarget(join(root, 'a.txt'))).toBe(join(root, 'a.txt'));
  });
});

describe('writes: what reaches a frozen SESSION.md', () => {
  it('names every path by which a write reaches one, and nothing else', () => {
    const facts = context();
    expect(checkFileWrite(S, facts)?.id).toBe('session-md-readonly');
    expect(checkFileWrite(join(root, S), facts)?.reason).toBe('_AGENTS/sessions/active/2026-01-01-x/SESSION.md is frozen once a session is claimed: it is the plan that drift is measured against');
    expect(checkFileWrite('_AGENTS\\sessions\\active\\2026-01-01-x\\SESSION.md', facts)?.id).toBe('session-md-readonly');
    expect(checkFileWrite('_AGENTS/sessions/completed/2025-12-01-done/SESSION.md', facts)?.fix).toBe(
      'write your plan changes to active-plan.md and progress to worklog.md in the same folder; a real emergency edit needs a commit "[2025-12-01-done] OVERRIDE: <reason>"',
    );
    expect(checkFileWrite('_AGENTS/sessions/planned/2026-01-02-y/SESSION.md', facts)).toBeUndefined();
    expect(checkFileWrite('_AGENTS/sessions/active/2026-01-01-x/worklog.md', facts)).toBeUndefined();
    expect(checkFileWrite('x_AGENTS/sessions/active/2026-01-01-x/SESSION.md', { ...facts, cwd: outside })).toBeUndefined();
    expect(checkFileWrite('notes-link.md', facts)?.id).toBe('session-md-readonly');
    expect(checkFileWrite('hard-link.md', facts)?.id).toBe('session-md-readonly');
    expect(checkFileWrite('active-link/2026-01-01-x/SESSION.md', facts)?.id).toBe('session-md-readonly');
    expect(checkFileWrite('_AGENTS/sessions/active/2026-01-01-x/SESSION.md', { ...facts, sessionsPath: '_AGENTS/sessions//' })?.reason).toMatch(/^_AGENTS\/sessions\/active\//);
    expect(checkFileWrite('a+b/active/x/SESSION.md', { ...facts, sessionsPath: 'a+b', cwd: outside })?.id).toBe('session-md-readonly');
    expect(checkFileWrite('aab/active/x/SESSION.md', { ...facts, sessionsPath: 'a+b', cwd: outside })).toBeUndefined();
    expect(judgeFileWrite(S, facts)).toMatchObject({ verdict: 'block', findings: [{ id: 'session-md-readonly' }] });
    expect(judgeFileWrite('src/a.ts', facts)).toEqual({ verdict: 'allow', reason: '', fix: '', findings: [] });
  });

  it('tells whether a write could reach a SESSION.md at all', () => {
    expect(mayReachSessionFile(join(root, S))).toBe(true);
    expect(mayReachSessionFile(join(outside, 'SESSION.md'))).toBe(true);
    expect(mayReachSessionFile(join(root, 'notes-link.md'))).toBe(true);
    expect(mayReachSessionFile(join(root, 'hard-link.md'))).toBe(true);
    expect(mayReachSessionFile(join(root, 'a.txt'))).toBe(false);
    expect(mayReachSessionFile(join(root, 'SESSION.md.bak'))).toBe(false);
    expect(mayReachSessionFile(join(root, 'missing.txt'))).toBe(false);
  });
});

// Lines beyond the guard table, each a shape a mutant let through or blocked wrongly.
const LINES: Array<[string, string?, string?]> = [
  // hooks switched off by the environment or config
  ['HUSKY=1 git commit -m x'],
  ['AGENT_SESSIONS=1 git commit -m x'],
  ['AGENT_SESSIONS="$V" git commit -m x'],
  ['AGENT_SESSIONS_PROBE= git commit -m x'],
  ['AGENT_SESSIONS_PUSH_JUDGED=1 git push origin x'],
  ['git -c include.path=/tmp/x commit -m x'],
  ['git -c includeIf.gitdir:/x.path=/tmp/x merge y'],
  ['git -c include.pathx=1 commit -m x'],
  ['git -c xinclude.path=1 commit -m x'],
  ['git -c core.hooksPathx=1 commit -m x'],
  ['git commit --dry-run -m x --no-verify'],
  ['git commit --no-verify --verify -m x'],
  ['AGENT_SESSIONS=0 git commit --verify -m x'],
  ['git merge -n x'],
  ['git merge --no-verify x'],
  ['git pull --no-verify'],
  ['git revert --no-verify HEAD'],
  ['git status --no-verify'],
  ['git commit "$ARGS"'],
  ['git commit -m x "$MORE"'],
  ['find . -name x | xargs git commit -m'],
  ['git merge "$X"'],
  // exports
  ['export AGENT_SESSIONS=0'],
  ['export AGENT_SESSIONS=1'],
  ['declare HUSKY=0'],
  ['typeset HUSKY="$V"'],
  ['readonly AGENT_SESSIONS_PROBE=1'],
  ['local AGENT_SESSIONS_CHECKOUT_DONE='],
  ['export GIT_CONFIG_KEY_3=core.HooksPath'],
  ['export GIT_CONFIG_KEY_3=user.name'],
  ['export GIT_CONFIG_KEY_3="$K"'],
  ['export GIT_CONFIG_PARAMETERS="\'core.hookspath\'=\'x\'"'],
  ['export GIT_CONFIG_GLOBAL=/tmp/x'],
  ['export GIT_CONFIG_SYSTEM=/tmp/x'],
  ['export GIT_CONFIG=/tmp/x'],
  ['export XGIT_CONFIG=/tmp/x'],
  ['export GIT_CONFIG_KEY_X=core.hooksPath'],
  ['export =0 AGENT_SESSIONS'],
  ['echo AGENT_SESSIONS=0'],
  // add
  ['git add --dry-run .'],
  ['git add -n -A'],
  ['git add --pathspec-from-file=list.txt'],
  ['git add "$F"'],
  ['git add -- "$F"'],
  ['git add ":/$X"'],
  ['git add -u'],
  ['git add --no-all src/a.ts'],
  ['git add -A src'],
  ['git add', undefined],
  ['find . -type f | xargs git add'],
  ['cd "$D" && git add src/a.ts'],
  ['cd "$D" && git add .'],
  ['git -C "$D" add ./'],
  // push
  ['git push --dry-run -f origin main', 'main'],
  ['git push -n --force origin main', 'main'],
  ['git send-pack -n origin main'],
  ['git push origin :main'],
  ['git push origin :refs/heads/main'],
  ['git push origin :heads/main'],
  ['git push origin :session/x'],
  ['git push -d origin main'],
  ['git push --delete origin session/x'],
  ['git push origin +main'],
  ['git push origin +session/x'],
  ['git push origin +HEAD:main'],
  ['git push origin HEAD:main'],
  ['git push -f origin HEAD', 'main'],
  ['git push -f origin HEAD'],
  ['git push -f origin @', 'main'],
  ['git push -f origin HEAD', undefined],
  ['git push --force-with-lease origin main'],
  ['git push --force-if-includes origin x:main'],
  ['git push -f origin session/x'],
  ['git push -f', 'main'],
  ['git push -f', 'session/2026-01-01-x'],
  ['git push -f --all origin'],
  ['git push --all origin'],
  ['git push --mirror origin'],
  ['git push origin "refs/heads/*:refs/heads/*"'],
  ['git push -f origin "refs/heads/*:refs/heads/*"'],
  ['git push -f origin "session/*"'],
  ['git push -f origin "$B"'],
  ['git push -f origin "x:$B"'],
  ['git push -f origin "x:session/$B"'],
  ['git push -f origin "x:refs/heads/$B"'],
  ['git push origin "$SPEC"'],
  ['git push "$R" main'],
  ['git push -f "$@"'],
  ['git push --no-verify origin x'],
  ['git -c remote.origin.push=+refs/heads/*:refs/heads/* push origin'],
  ['git -c remote.origin.push=refs/heads/x:refs/heads/x push origin'],
  ['git -c remote.origin.push=refs/heads/x:refs/heads/x push -f origin'],
  ['git -c remote.origin.mirror=true push origin'],
  ['git -c push.default=matching push origin'],
  ['git -c push.default=current push origin'],
  ['git -c remote.origin.url=x push origin session/x'],
  ['git send-pack origin session/x'],
  ['git send-pack --force origin main'],
  ['git send-pack "$R" x'],
  // config
  ['git config core.hooksPath /dev/null'],
  ['git config --unset core.hooksPath'],
  ['git config core.hooksPath'],
  ['git config --get core.hooksPath'],
  ['git config set core.hooksPath x'],
  ['git config --add include.path /tmp/x'],
  ['git config includeIf.onbranch:x.path /tmp/x'],
  ['git config "$K" x'],
  ['git config alias.x "$V"'],
  ["git config alias.x '!git push -f origin main'"],
  ["git config alias.x 'push --mirror origin'"],
  ["git config alias.x 'status -s'"],
  ["git -C /tmp config alias.x 'add -A'"],
  ['git config user.name x'],
  ['git config -e'],
  ['git config --list'],
  ['git config'],
  // aliases, dynamic programs, and more than one finding
  ["git -c alias.p='!git push -f origin main' p"],
  ['git -c alias.q="!git add $X" q'],
  ['git "$CMD"'],
  ['git "$CMD" -m x'],
  ['$GIT add .'],
  ['git add . && git commit -n -m x && git push -f origin main'],
  ['git add . ; git add .'],
  ['git commit -n -m a; git commit -n -m a'],
  ['echo "unterminated'],
  [`"$G" ${'a'.repeat(100)}`],
  ['GIT_CONFIG_GLOBAL=/tmp/g git commit -m x'],
  ['GIT_CONFIG_GLOBAL=/tmp/g git add src/a.ts'],
  ['GIT_CONFIG_GLOBAL=/tmp/g git config user.name x'],
  ['GIT_CONFIG_GLOBAL=/tmp/g git status'],
  ['GIT_CONFIG_GLOBAL=/dev/null git commit -m x'],
  ["git -C src -c alias.sv='!git add .' sv"],
  ["git -c alias.sv='!git add .' sv"],
  ["git -C \"$D\" -c alias.sv='!git add .' sv"],
  ["git -C \"$D\" config alias.x 'add .'"],
  ["git -C src config alias.x 'add .'"],
  // writes
  [`echo x > ${S}`],
  [`echo x > "$D/SESSION.md"`],
  [`echo x > "$D/notes.md"`],
  ['cat x | tee a.txt notes-link.md'],
  ['tee -a hard-link.md'],
  [`rm ${S}`],
  [`unlink ${S}`],
  [`truncate -s 0 ${S}`],
  [`shred ${S}`],
  [`sponge ${S}`],
  [`ed ${S}`],
  [`ex ${S}`],
  [`sed -i s/a/b/ ${S}`],
  [`sed s/a/b/ ${S}`],
  [`sed --in-place s/a/b/ ${S}`],
  [`sed -Ei s/a/b/ ${S}`],
  [`sed -e s/a/b/ -i.bak ${S}`],
  [`perl -pi -e s/a/b/ ${S}`],
  [`perl -p -e s/a/b/ ${S}`],
  [`cp a.txt ${S}`],
  [`cp ${S} a.txt`],
  ['cp a.txt _AGENTS/sessions/active/2026-01-01-x/'],
  ['cp a.txt src'],
  ['cp -t _AGENTS/sessions/active/2026-01-01-x SESSION.md'],
  ['cp --target-directory=_AGENTS/sessions/active/2026-01-01-x SESSION.md'],
  ['cp --target-directory=src SESSION.md'],
  [`mv ${S} x.md`],
  ['mv _AGENTS/sessions/active/2026-01-01-x /tmp/gone'],
  ['mv _AGENTS/sessions/planned/2026-01-02-y /tmp/gone'],
  [`install a.txt ${S}`],
  [`ln -sf a.txt ${S}`],
  [`rsync a.txt ${S}`],
  [`rsync -t a.txt ${S}`],
  [`rsync -avt a.txt ${S}`],
  [`install -t _AGENTS/sessions/active/2026-01-01-x SESSION.md`],
  [`ln -t _AGENTS/sessions/active/2026-01-01-x a.txt`],
  [`dd if=a.txt of=${S}`],
  ['dd if=a.txt of=b.txt'],
  ['rm -rf _AGENTS/sessions/active'],
  ['rm -R _AGENTS'],
  ['rm --recursive _AGENTS/sessions/completed'],
  ['rm -f _AGENTS/sessions/active'],
  ['rm -rf active-link'],
  ['rm -rf _AGENTS/sessions/planned'],
  ['rm _AGENTS/sessions/active/*/SESSION.md'],
  ['rm _AGENTS/sessions/*/*/SESSION.md'],
  ['rm _AGENTS/sessions/planned/*/SESSION.md'],
  ['rm -- -x'],
  ['find . -delete'],
  ['find _AGENTS -name "*.md" -delete'],
  ['find _AGENTS -iname session.md -delete'],
  ['find _AGENTS -name "*.log" -delete'],
  ['find _AGENTS -name "$N" -delete'],
  ['find _AGENTS -name "*.log" -o -name x -delete'],
  ['find src -delete'],
  ['find -delete'],
  ['find _AGENTS ( -name "*.tmp" ) -delete'],
  ['find _AGENTS -name'],
  ['find _AGENTS -name "*.md"'],
  ['"$EDIT" SESSION.md'],
  ['vi SESSION.md'],
];

describe('policy: more command lines', () => {
  it.each(LINES.map(([line, branch]) => [line, branch ?? 'session/2026-01-01-x'] as const))('%j on branch %s', (line, branch) => {
    const judged = judgeCommand(line, context(branch, line.includes('SESSION.md') && !line.includes('/') ? '_AGENTS/sessions/active/2026-01-01-x' : ''));
    expect(judged.reason).toBe(judged.findings.map((f) => f.reason).join('; '));
    expect(judged.fix).toBe(judged.findings.map((f) => f.fix).join('; '));
    expect(judged.verdict).toBe(judged.findings.length ? 'block' : 'allow');
    expect(`${judged.reason}${judged.fix}`).not.toContain(UNKNOWN); // a run-time value reads `$…`
    expect({ verdict: judged.verdict, findings: judged.findings.map((f) => `${f.id}: ${f.reason.replaceAll(root, '{root}').replaceAll(outside, '{outside}')} | fix: ${f.fix}`) }).toMatchSnapshot();
  });

  it('judges from the process directory when the context names none, and aliases from the repository', () => {
    const facts = context();
    delete facts.cwd;
    expect(judgeCommand(`echo x > ${join(root, S)}`, facts).verdict).toBe('block');
    const aliased = context('session/2026-01-01-x', '', { gitAlias: (name) => (name === 'sv' ? '!git add -A' : name === 'ci' ? 'commit -n' : undefined) });
    expect(judgeCommand('git sv', aliased).findings.map((f) => f.id)).toEqual(['git-add-all']);
    expect(judgeCommand('git ci -m x', aliased).findings.map((f) => f.id)).toEqual(['commit-no-verify']);
    expect(judgeCommand('git -C src sv', aliased).findings.map((f) => f.id)).toEqual(['git-add-all']);
    expect(judgeCommand('cd src && git sv', aliased).findings.map((f) => f.id)).toEqual(['git-add-all']);
    expect(judgeCommand('git st', aliased).verdict).toBe('allow');
    // A branch the guard cannot read counts as main for a forced push.
    const detached: GuardContext = { ...context(), currentBranch: () => undefined };
    expect(judgeCommand('git push -f origin HEAD', detached).findings.map((f) => f.id)).toEqual(['force-push-main']);
    expect(judgeCommand('git push -f', detached).verdict).toBe('allow');
    expect(judgeCommand('git push -f origin session/x', detached).verdict).toBe('allow');
  });
});
