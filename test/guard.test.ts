// The agent guard, fed Claude Code's real PreToolUse payloads. The table runs in-process for
// breadth; the CLI rows check the protocol itself: exit 2 + stderr blocks, exit 0 allows.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { linkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { judgeClaudeCall } from '../src/commands/guard.ts';
import { claudeGuardCommand } from '../src/guard/install.ts';
import { makeRepo, tempDir, type Repo } from './helpers/repo.ts';

const bash = (command: string, cwd?: string) => ({
  session_id: 's1',
  transcript_path: '/tmp/t.jsonl',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command, description: 'x' },
  ...(cwd ? { cwd } : {}),
});
const write = (tool: string, file_path: string, cwd?: string) => ({
  hook_event_name: 'PreToolUse',
  tool_name: tool,
  tool_input: { file_path, content: 'x' },
  ...(cwd ? { cwd } : {}),
});

const repo: Repo = makeRepo();
repo.git('checkout', '-q', '-b', 'session/2026-01-01-x');

const blocked: Array<[string, string]> = [
  ['git add .', 'git-add-all'],
  ['git add -A', 'git-add-all'],
  ['git add --all', 'git-add-all'],
  ['git add -Av', 'git-add-all'],
  ['git stage .', 'git-add-all'],
  ['git add -- .', 'git-add-all'],
  ['git add :/', 'git-add-all'],
  ['git add ..', 'git-add-all'],
  ['git add *', 'git-add-all'],
  ['cd src && git add -A', 'git-add-all'],
  ['git -C dir add --all', 'git-add-all'],
  ['git -c color.ui=never add .', 'git-add-all'],
  ['FOO=1 git add .', 'git-add-all'],
  ['sudo -u bob git add .', 'git-add-all'],
  ['env -i PATH=/bin git add .', 'git-add-all'],
  ['command git add .', 'git-add-all'],
  ['(cd sub; git add .)', 'git-add-all'],
  ['echo $(git add .)', 'git-add-all'],
  ['echo `git add -A`', 'git-add-all'],
  ['bash -c "git add -A && git commit -m x"', 'git-add-all'],
  ['ls\ngit add .', 'git-add-all'],
  ['git status || git add --all', 'git-add-all'],
  ['git commit --no-verify -m "[s] feat: x"', 'commit-no-verify'],
  ['git commit -n -m msg', 'commit-no-verify'],
  ['git commit -nm "msg"', 'commit-no-verify'],
  ['git commit -anm msg', 'commit-no-verify'],
  ['git commit --no-veri -m x', 'commit-no-verify'],
  ['AGENT_SESSIONS=0 git commit -m x', 'commit-no-verify'],
  ['git -c core.hooksPath=/dev/null commit -m x', 'commit-no-verify'],
  ['git push --force origin main', 'force-push-main'],
  ['git push -f origin main', 'force-push-main'],
  ['git push origin +main', 'force-push-main'],
  ['git push origin +HEAD:main', 'force-push-main'],
  ['git push --force-with-lease origin HEAD:refs/heads/main', 'force-push-main'],
  ['git push -fu origin main', 'force-push-main'],
  ['git push origin :main', 'force-push-main'],
  ['git push --delete origin main', 'force-push-main'],
  ['git push --no-verify origin session/2026-01-01-x', 'push-no-verify'],
];

const allowed = [
  'git add src/a.ts',
  'git add src/a.ts src/b.ts && git commit -m "[s] feat: x"',
  'git add -u',
  'git add src/ docs/',
  'git add ./src/a.ts',
  'git add -p src',
  'git log --grep "git add ."',
  'echo "git add -A"',
  "grep -r 'git commit --no-verify' docs",
  'git commit -m "-n is not a flag here"',
  'git commit -mn',
  'git commit -m "explain git push --force origin main"',
  'git push origin session/2026-01-01-x',
  'git push -f origin session/2026-01-01-x',
  'git push --force',
  'git push origin main',
  'git push origin --delete session/2026-01-01-x',
  'git status # git add .',
  'cat notes.txt | grep "git add --all"',
  'npm test',
  '',
];

describe('guard: Bash tool calls', () => {
  it.each(blocked)('blocks %j', (command, id) => {
    const result = judgeClaudeCall(bash(command, repo.dir), repo.dir);
    expect(result.decision).toBe('block');
    expect(result.findings.map((f) => f.id)).toContain(id);
    expect(result.findings[0]!.fix).toBeTruthy();
  });
  it.each(allowed)('allows %j', (command) => {
    const result = judgeClaudeCall(bash(command, repo.dir), repo.dir);
    expect(result.findings).toEqual([]);
    expect(result.decision).toBe('allow');
  });
  it('blocks `git push --force` with no refspec while main is checked out', () => {
    const other = makeRepo({ init: false });
    expect(judgeClaudeCall(bash('git push --force', other.dir), other.dir).decision).toBe('block');
  });
  it("follows the repository's `!` aliases into each other, and blocks one that calls itself within seconds", () => {
    const aliased = makeRepo({ init: false });
    aliased.git('config', 'alias.stash-all', '!git stage-all');
    aliased.git('config', 'alias.stage-all', '!git add -A');
    aliased.git('config', 'alias.loop', '!git loop');
    aliased.git('config', 'alias.ping', '!git pong');
    aliased.git('config', 'alias.pong', '!git ping');
    expect(judgeClaudeCall(bash('git stash-all', aliased.dir), aliased.dir).findings.map((f) => f.id)).toEqual(['git-add-all']);
    for (const command of ['git loop', 'git ping']) {
      const started = Date.now();
      // The hook as Claude Code runs it: before, the stack overflowed after a minute or more and
      // the guard exited 1 (the call ran) if the agent had not timed the hook out already.
      const r = aliased.cli(['guard', '--agent', 'claude'], { input: JSON.stringify(bash(command, aliased.dir)) });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/runs git aliases nested more than 10 deep \(one that calls itself\?\)/);
      expect(Date.now() - started).toBeLessThan(20_000);
    }
  });
});

describe('guard: file writes', () => {
  it.each([
    ['Write', '_AGENTS/sessions/active/2026-01-01-x/SESSION.md', 'block'],
    ['Edit', '_AGENTS/sessions/active/2026-01-01-x/SESSION.md', 'block'],
    ['MultiEdit', '_AGENTS/sessions/completed/2026-01-01-x/SESSION.md', 'block'],
    ['Write', '_AGENTS/sessions/active/2026-01-01-x/worklog.md', 'allow'],
    ['Write', '_AGENTS/sessions/planned/2026-01-01-x/SESSION.md', 'allow'],
    ['Write', 'src/SESSION.md', 'allow'],
    ['Read', '_AGENTS/sessions/active/2026-01-01-x/SESSION.md', 'allow'],
  ])('%s %s -> %s', (tool, rel, decision) => {
    expect(judgeClaudeCall(write(tool, `${repo.dir}/${rel}`, repo.dir), repo.dir).decision).toBe(decision);
  });
  it('blocks a Write through a symlink or a hard link to an active SESSION.md, allows an unrelated file', () => {
    repo.write('_AGENTS/sessions/active/2026-01-02-z/SESSION.md', '# Plan\n');
    symlinkSync(join(repo.dir, '_AGENTS/sessions/active/2026-01-02-z/SESSION.md'), join(repo.dir, 'plan-link.md'));
    linkSync(join(repo.dir, '_AGENTS/sessions/active/2026-01-02-z/SESSION.md'), join(repo.dir, 'plan-hard.md'));
    repo.write('plain.md', 'x\n');
    expect(judgeClaudeCall(write('Write', `${repo.dir}/plan-link.md`, repo.dir), repo.dir).decision).toBe('block');
    expect(judgeClaudeCall(write('Edit', 'plan-hard.md', repo.dir), repo.dir).decision).toBe('block');
    expect(judgeClaudeCall(write('Write', 'plain.md', repo.dir), repo.dir).decision).toBe('allow');
  });
  it('blocks a shell redirect into an active SESSION.md', () => {
    expect(judgeClaudeCall(bash('echo x >> _AGENTS/sessions/active/2026-01-01-x/SESSION.md', repo.dir), repo.dir).decision).toBe('block');
  });
});

describe('guard CLI: Claude Code PreToolUse protocol', () => {
  it('exit 2 with the reason and the fix on stderr for a blocked call', () => {
    const r = repo.cli(['guard', '--agent', 'claude'], { input: JSON.stringify(bash('cd src && git add -A', repo.dir)) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/git add -A/);
    expect(r.stderr).toMatch(/fix: .*git add <path>/);
    expect(r.stdout).toBe('');
  });
  it('exit 0 and silence for an allowed call', () => {
    const r = repo.cli(['guard'], { input: JSON.stringify(bash('git add src/a.ts', repo.dir)) });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
  it('blocks a Write to an active SESSION.md', () => {
    const r = repo.cli(['guard'], { input: JSON.stringify(write('Write', `${repo.dir}/_AGENTS/sessions/active/2026-01-01-x/SESSION.md`)) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/active-plan\.md/);
  });
  it.each(['not json', '[1,2]', '', '{"tool_name": 3}'])('a malformed payload %j is blocked with the reason (fail closed), never a crash', (input) => {
    const r = repo.cli(['guard', '--agent', 'claude'], { input });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the Claude Code tool call/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('init --agents claude', () => {
  it('writes the PreToolUse hooks, merges into existing settings, and is idempotent', () => {
    const r = makeRepo();
    r.write('.claude/settings.json', JSON.stringify({ model: 'x', hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'mine.sh' }] }], Stop: [] } }));
    const first = r.cli(['init', '--agents', 'claude']);
    expect(first.code).toBe(0);
    const settings = JSON.parse(r.read('.claude/settings.json'));
    expect(settings.model).toBe('x');
    expect(settings.hooks.Stop).toEqual([]);
    const bashEntry = settings.hooks.PreToolUse.find((e: { matcher: string }) => e.matcher === 'Bash');
    expect(bashEntry.hooks.map((h: { command: string }) => h.command)).toEqual(['mine.sh', claudeGuardCommand('node_modules/.bin/agent-sessions')]);
    expect(settings.hooks.PreToolUse.find((e: { matcher: string }) => e.matcher === 'Write|Edit|MultiEdit')).toBeTruthy();
    const bytes = r.read('.claude/settings.json');
    const second = r.cli(['init', '--agents', 'claude']);
    expect(second.code).toBe(0);
    expect(r.read('.claude/settings.json')).toBe(bytes);
  });
  it('the command init writes blocks from the project dir and from a linked worktree without node_modules', () => {
    const r = makeRepo();
    expect(r.cli(['init', '--agents', 'claude']).code).toBe(0);
    const command = JSON.parse(r.read('.claude/settings.json')).hooks.PreToolUse[0].hooks[0].command as string;
    const worktree = join(tempDir('as-wt-'), 'wt');
    r.git('worktree', 'add', '-q', '-b', 'session/2026-01-01-x', worktree);
    for (const dir of [r.dir, worktree]) {
      const run = (payload: object) => spawnSync('sh', ['-c', command], { cwd: dir, input: JSON.stringify(payload), encoding: 'utf8', env: { ...process.env, CLAUDE_PROJECT_DIR: dir } });
      const blocked = run(bash('git add -A', dir));
      expect(blocked.status, blocked.stderr).toBe(2);
      expect(blocked.stderr).toMatch(/git add -A/);
      expect(run(bash('git add src/a.ts', dir)).status).toBe(0);
    }
  });
  it('refuses an agent whose hook format it does not know', () => {
    const r = makeRepo();
    expect(r.cli(['init', '--agents', 'nonesuch']).code).toBe(2);
  });
});

describe('Gemini CLI (BeforeTool)', () => {
  const shell = (command: string, cwd: string, directory?: string) => ({
    session_id: 's',
    transcript_path: '/tmp/t.json',
    cwd,
    hook_event_name: 'BeforeTool',
    timestamp: '2026-01-01T00:00:00Z',
    tool_name: 'run_shell_command',
    tool_input: { command, ...(directory ? { directory } : {}) },
  });
  it.each([
    [shell('cd src && git add -A', repo.dir), 2],
    [shell('git commit -nm x', repo.dir, 'src'), 2],
    [{ hook_event_name: 'BeforeTool', cwd: repo.dir, tool_name: 'write_file', tool_input: { file_path: `${repo.dir}/_AGENTS/sessions/active/2026-01-01-x/SESSION.md`, content: 'x' } }, 2],
    [{ hook_event_name: 'BeforeTool', cwd: repo.dir, tool_name: 'replace', tool_input: { file_path: '_AGENTS/sessions/active/2026-01-01-x/SESSION.md', old_string: 'a', new_string: 'b' } }, 2],
    [shell('git add src/a.ts', repo.dir), 0],
    [shell('git log --grep "git add ."', repo.dir), 0],
  ])('guard --agent gemini on %j exits %i', (payload, code) => {
    const r = repo.cli(['guard', '--agent', 'gemini'], { input: JSON.stringify(payload) });
    expect(r.code).toBe(code);
    // Gemini parses stdout as JSON on exit 0; on exit 2 the reason is on stderr.
    if (code === 0) expect(JSON.parse(r.stdout)).toEqual({});
    else expect(r.stderr).toMatch(/fix: /);
  });
  it('init --agents claude,gemini writes both configs; the Gemini command blocks from a worktree', () => {
    const r = makeRepo();
    expect(r.cli(['init', '--agents', 'claude,gemini']).code).toBe(0);
    const settings = JSON.parse(r.read('.gemini/settings.json'));
    expect(settings.hooks.BeforeTool.map((e: { matcher: string }) => e.matcher)).toEqual(['run_shell_command', 'write_file|replace']);
    const hook = settings.hooks.BeforeTool[0].hooks[0];
    expect(hook).toMatchObject({ name: 'agent-sessions-guard', type: 'command' });
    expect(hook.command).toContain('$GEMINI_PROJECT_DIR');
    expect(r.exists('.claude/settings.json')).toBe(true);
    const bytes = r.read('.gemini/settings.json');
    expect(r.cli(['init', '--agents', 'gemini']).code).toBe(0);
    expect(r.read('.gemini/settings.json')).toBe(bytes);
    const worktree = join(tempDir('as-wt-'), 'wt');
    r.git('worktree', 'add', '-q', '-b', 'session/2026-01-01-y', worktree);
    const run = spawnSync('sh', ['-c', hook.command], { cwd: worktree, input: JSON.stringify(shell('git add .', worktree)), encoding: 'utf8', env: { ...process.env, GEMINI_PROJECT_DIR: worktree } });
    expect(run.status, run.stderr).toBe(2);
  });
});
