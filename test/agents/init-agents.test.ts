// `init --agents all`: every agent's config in its documented shape, merged with what is there,
// byte-identical on a second run; each written command really blocks (from the checkout and
// from a session worktree without node_modules); doctor --json lists every agent's guard; the
// AGENTS.md section is kept current without touching the rest of the file.
import { spawnSync } from 'node:child_process';
import { lstatSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SECTION_END } from '../../src/agents-config/instructions.ts';
import { snapshotTree, tempDir, makeRepo } from '../helpers/repo.ts';

const FILES = ['.claude/settings.json', '.codex/hooks.json', '.gemini/settings.json', '.cursor/hooks.json', '.github/hooks/agent-sessions.json', '.clinerules/hooks/PreToolUse', '.windsurf/hooks.json', '.opencode/plugins/agent-sessions-guard.js', 'AGENTS.md', 'CLAUDE.md', 'GEMINI.md'];

describe('init --agents all', () => {
  const r = makeRepo();
  r.write('AGENTS.md', '# Our agents\n\nBe kind.\n');
  r.write('.cursor/hooks.json', JSON.stringify({ version: 1, hooks: { afterFileEdit: [{ command: './fmt.sh' }], beforeShellExecution: [{ command: './audit.sh' }] } }));
  r.write('.codex/hooks.json', JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'x' }] }] } }));
  const first = r.cli(['init', '--agents', 'all', '--json']);
  const snapshot = snapshotTree(r.dir);

  it('writes every agent file, then changes no byte on a second run', () => {
    expect(first.code, first.stderr).toBe(0);
    for (const file of FILES) expect(r.exists(file), file).toBe(true);
    const second = r.cli(['init', '--agents', 'all', '--json']);
    expect(second.code).toBe(0);
    expect(second.json).toMatchObject({ unchanged: true });
    expect(snapshotTree(r.dir)).toEqual(snapshot);
  });

  it('each config has the documented shape and keeps what was there', () => {
    const json = (f: string) => JSON.parse(r.read(f));
    const claude = json('.claude/settings.json');
    expect(claude.hooks.PreToolUse.map((e: { matcher: string }) => e.matcher)).toEqual(['Bash', 'Write|Edit|MultiEdit', 'PowerShell', 'NotebookEdit']);
    for (const e of claude.hooks.PreToolUse) expect(e.hooks).toEqual([{ type: 'command', command: expect.stringContaining('$CLAUDE_PROJECT_DIR') }]);
    const codex = json('.codex/hooks.json');
    expect(codex.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'x' }] }]);
    expect(codex.hooks.PreToolUse.map((e: { matcher: string }) => e.matcher)).toEqual(['Bash', 'apply_patch']);
    const gemini = json('.gemini/settings.json');
    expect(gemini.hooks.BeforeTool[0].hooks[0]).toMatchObject({ name: 'agent-sessions-guard', type: 'command' });
    const cursor = json('.cursor/hooks.json');
    expect(cursor.version).toBe(1);
    expect(cursor.hooks.afterFileEdit).toEqual([{ command: './fmt.sh' }]);
    expect(cursor.hooks.beforeShellExecution).toEqual([{ command: './audit.sh' }, { command: expect.stringContaining('--agent cursor'), failClosed: true }]);
    expect(cursor.hooks.preToolUse[0]).toMatchObject({ matcher: 'Write|StrReplace|Edit|MultiEdit|Delete', failClosed: true });
    const copilot = json('.github/hooks/agent-sessions.json');
    expect(copilot).toEqual({ version: 1, hooks: { preToolUse: [{ type: 'command', bash: expect.stringContaining('--agent copilot'), timeoutSec: 30 }] } });
    const windsurf = json('.windsurf/hooks.json');
    expect(Object.keys(windsurf.hooks)).toEqual(['pre_run_command', 'pre_write_code']);
    expect(windsurf.hooks.pre_run_command[0]).toMatchObject({ show_output: true });
    expect(statSync(join(r.dir, '.clinerules/hooks/PreToolUse')).mode & 0o111).not.toBe(0);
  });

  it('AGENTS.md keeps its own text and gets one delimited section; CLAUDE.md and GEMINI.md too', () => {
    const text = r.read('AGENTS.md');
    expect(text.startsWith('# Our agents\n\nBe kind.\n\n<!-- agent-sessions:start')).toBe(true);
    expect(text).toContain('agent-sessions next --claim --json');
    expect(text).toContain('[<slug>] <type>: <description>');
    expect(text).toContain('_AGENTS/knowledge/sessions/<slug>/learnings.md');
    expect(text.split(SECTION_END).length).toBe(2);
    for (const f of ['CLAUDE.md', 'GEMINI.md']) expect(r.read(f)).toContain('agent-sessions complete <slug> --json');
  });

  it('a stale section is replaced in place, the text around it kept', () => {
    const t = makeRepo();
    t.write('AGENTS.md', '# Top\n<!-- agent-sessions:start old -->\nold words\n<!-- agent-sessions:end -->\n## After\nkeep me\n');
    expect(t.cli(['init', '--agents', 'codex']).code).toBe(0);
    const text = t.read('AGENTS.md');
    expect(text).toMatch(/^# Top\n<!-- agent-sessions:start/);
    expect(text).not.toContain('old words');
    expect(text.endsWith('<!-- agent-sessions:end -->\n## After\nkeep me\n')).toBe(true);
  });

  it('doctor --json lists every agent guard, wired to a bin that resolves', () => {
    const doctor = r.cli(['doctor', '--json']);
    const checks = (doctor.json as { checks: Array<{ id: string; ok: boolean; message: string }> }).checks.filter((c) => c.id.startsWith('agent-guard:'));
    expect(checks.map((c) => c.id)).toEqual(['claude', 'codex', 'gemini', 'cursor', 'copilot', 'cline', 'windsurf', 'opencode'].map((a) => `agent-guard:${a}`));
    for (const c of checks) expect(c, c.message).toMatchObject({ ok: true, message: expect.stringMatching(/wired in .* to node_modules\/\.bin\/agent-sessions/) });
  });

  it('the commands written for Codex, Cursor, Copilot, Windsurf and Cline block from a worktree without node_modules', () => {
    const worktree = join(tempDir('as-wt-'), 'wt');
    r.git('worktree', 'add', '-q', '-b', 'session/2026-01-01-z', worktree);
    const codexCmd = JSON.parse(r.read('.codex/hooks.json')).hooks.PreToolUse[0].hooks[0].command;
    const cursorCmd = JSON.parse(r.read('.cursor/hooks.json')).hooks.beforeShellExecution[1].command;
    const copilotCmd = JSON.parse(r.read('.github/hooks/agent-sessions.json')).hooks.preToolUse[0].bash;
    const windsurfCmd = JSON.parse(r.read('.windsurf/hooks.json')).hooks.pre_run_command[0].command;
    const sh = (command: string, payload: object) => spawnSync('sh', ['-c', command], { cwd: worktree, input: JSON.stringify(payload), encoding: 'utf8' });
    const codex = sh(codexCmd, { hook_event_name: 'PreToolUse', turn_id: 't', cwd: worktree, tool_name: 'Bash', tool_input: { command: 'git add .' } });
    expect(codex.status, codex.stderr).toBe(2);
    const cursor = sh(cursorCmd, { hook_event_name: 'beforeShellExecution', workspace_roots: [worktree], command: 'git commit -n -m x', cwd: worktree });
    expect(JSON.parse(cursor.stdout).permission).toBe('deny');
    const copilot = sh(copilotCmd, { cwd: worktree, toolName: 'bash', toolArgs: '{"command":"git add -A"}' });
    expect(JSON.parse(copilot.stdout).permissionDecision).toBe('deny');
    const windsurf = sh(windsurfCmd, { agent_action_name: 'pre_run_command', tool_info: { command_line: 'git add .', cwd: worktree } });
    expect(windsurf.status).toBe(2);
    const cline = spawnSync(join(r.dir, '.clinerules/hooks/PreToolUse'), [], { cwd: worktree, input: JSON.stringify({ workspaceRoots: [worktree], preToolUse: { toolName: 'execute_command', parameters: { command: 'git add .' } } }), encoding: 'utf8' });
    expect(JSON.parse(cline.stdout), cline.stderr).toMatchObject({ cancel: true });
  });

  it('the OpenCode plugin throws (blocks) on a refused call and lets an allowed one through', async () => {
    const mod = (await import(pathToFileURL(join(r.dir, '.opencode/plugins/agent-sessions-guard.js')).href)) as { AgentSessionsGuard: (ctx: { directory: string }) => Promise<Record<string, (i: object, o: object) => Promise<void>>> };
    const hooks = await mod.AgentSessionsGuard({ directory: r.dir });
    const before = hooks['tool.execute.before']!;
    await expect(before({ tool: 'bash', sessionID: 's', callID: 'c' }, { args: { command: 'git add -A' } })).rejects.toThrow(/git add -A.*\n.*fix: /s);
    await expect(before({ tool: 'bash', sessionID: 's', callID: 'c' }, { args: { command: 'git add src/a.ts' } })).resolves.toBeUndefined();
    await expect(before({ tool: 'write', sessionID: 's', callID: 'c' }, { args: { filePath: join(r.dir, '_AGENTS/sessions/active/2026-01-01-x/SESSION.md') } })).rejects.toThrow(/active-plan\.md/);
  });

  it('writes through CLAUDE.md linked to AGENTS.md; refuses a .clinerules file where the hooks folder goes', () => {
    const t = makeRepo();
    t.write('AGENTS.md', '# Shared\n');
    symlinkSync('AGENTS.md', join(t.dir, 'CLAUDE.md'));
    expect(t.cli(['init', '--agents', 'claude']).code).toBe(0);
    expect(lstatSync(join(t.dir, 'CLAUDE.md')).isSymbolicLink()).toBe(true);
    expect(t.read('AGENTS.md').split('<!-- agent-sessions:start').length).toBe(2);
    const bytes = t.read('AGENTS.md');
    expect(t.cli(['init', '--agents', 'claude']).code).toBe(0);
    expect(t.read('AGENTS.md')).toBe(bytes);
    // A link anywhere else (here into .git) is refused, never written through.
    const u = makeRepo();
    symlinkSync('.git/description', join(u.dir, 'AGENTS.md'));
    const before = u.read('.git/description');
    expect(u.cli(['init', '--agents', 'codex']).code).toBe(2);
    expect(u.read('.git/description')).toBe(before);
    t.write('.clinerules', 'be brief\n');
    const r = t.cli(['init', '--agents', 'cline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.clinerules is a file.*\n.*fix: move \.clinerules into a folder/);
  });

  it('refuses a symlinked config file, and a bad agent name', () => {
    const t = makeRepo();
    t.git('config', 'core.symlinks', 'true');
    spawnSync('ln', ['-s', '/tmp', join(t.dir, '.windsurf')]);
    expect(t.cli(['init', '--agents', 'windsurf']).code).toBe(2);
    expect(t.cli(['init', '--agents', 'claude,nonesuch']).code).toBe(2);
  });
});
