// What `init --agents` writes for each agent, and what doctor reads back. The formats are each
// agent's own (see docs/agents.md for the sources): merged into a settings file the user may
// already have (Claude Code, Codex, Gemini, Cursor, Windsurf), or a file of our own (Copilot's
// .github/hooks/agent-sessions.json, Cline's hook script, OpenCode's plugin).
import { binOf, gitRootCommand, GUARD_MARK, projectDirCommand } from './commands.ts';
import { isObject, mergeFlatHooks, mergeMatcherHooks, ourCommands, readJsonObject, readOwned, writeJson, writeOwned, type WriteLog } from './files.ts';
import { opencodePlugin } from './opencode-plugin.ts';

export interface AgentTarget {
  name: string;
  label: string;
  /** The file holding the guard's wiring, relative to the repository root. */
  file: string;
  /** The instructions file this agent reads (AGENTS.md unless it reads only its own). */
  instructions: 'AGENTS.md' | 'CLAUDE.md' | 'GEMINI.md';
  install(root: string, bin: string, log: WriteLog): void;
  /** The guard commands found in the agent's config (none: not wired). */
  commands(root: string): string[];
}

const shellScript = (bin: string) => `#!/bin/sh\n# Cline PreToolUse hook written by agent-sessions init: the payload goes to the guard on stdin.\n${gitRootCommand(bin, 'cline', '$(dirname "$0")')}\n`;

function jsonTarget(
  name: string,
  label: string,
  file: string,
  instructions: AgentTarget['instructions'],
  merge: (settings: Record<string, unknown>, bin: string) => Record<string, unknown>,
): AgentTarget {
  return {
    name,
    label,
    file,
    instructions,
    install: (root, bin, log) => writeJson(root, file, merge(readJsonObject(root, file, name) ?? {}, bin), log, name),
    commands: (root) => {
      const settings = readJsonObject(root, file, name);
      return settings ? ourCommands(settings.hooks, GUARD_MARK) : [];
    },
  };
}

function ownedTarget(name: string, label: string, file: string, content: (bin: string) => string, mode?: number): AgentTarget {
  return {
    name,
    label,
    file,
    instructions: 'AGENTS.md',
    install: (root, bin, log) => writeOwned(root, file, content(bin), log, name, mode),
    commands: (root) => {
      const text = readOwned(root, file, name); // no link, FIFO or device: repository data
      if (text === undefined) return [];
      if (file.endsWith('.json')) return ourCommands(readJsonObject(root, file, name)?.hooks, GUARD_MARK);
      return text.includes(GUARD_MARK) ? [text] : [];
    },
  };
}

export const TARGETS: readonly AgentTarget[] = [
  jsonTarget('claude', 'Claude Code', '.claude/settings.json', 'CLAUDE.md', (s, bin) =>
    mergeMatcherHooks(s, 'PreToolUse', ['Bash', 'Write|Edit|MultiEdit', 'PowerShell', 'NotebookEdit'], { type: 'command', command: projectDirCommand(bin, 'claude') }, GUARD_MARK),
  ),
  jsonTarget('codex', 'Codex CLI', '.codex/hooks.json', 'AGENTS.md', (s, bin) =>
    mergeMatcherHooks(s, 'PreToolUse', ['Bash', 'apply_patch'], { type: 'command', command: gitRootCommand(bin, 'codex') }, GUARD_MARK),
  ),
  jsonTarget('gemini', 'Gemini CLI', '.gemini/settings.json', 'GEMINI.md', (s, bin) =>
    mergeMatcherHooks(s, 'BeforeTool', ['run_shell_command', 'write_file|replace'], { name: 'agent-sessions-guard', type: 'command', command: projectDirCommand(bin, 'gemini') }, GUARD_MARK),
  ),
  jsonTarget('cursor', 'Cursor', '.cursor/hooks.json', 'AGENTS.md', (s, bin) => {
    const command = gitRootCommand(bin, 'cursor');
    const withShell = mergeFlatHooks({ version: 1, ...s }, 'beforeShellExecution', { command, failClosed: true }, GUARD_MARK);
    return mergeFlatHooks(withShell, 'preToolUse', { command, matcher: 'Write|StrReplace|Edit|MultiEdit|Delete', failClosed: true }, GUARD_MARK);
  }),
  ownedTarget('copilot', 'GitHub Copilot', '.github/hooks/agent-sessions.json', (bin) =>
    `${JSON.stringify({ version: 1, hooks: { preToolUse: [{ type: 'command', bash: gitRootCommand(bin, 'copilot'), timeoutSec: 30 }] } }, null, 2)}\n`,
  ),
  ownedTarget('cline', 'Cline', '.clinerules/hooks/PreToolUse', shellScript, 0o755),
  jsonTarget('windsurf', 'Windsurf', '.windsurf/hooks.json', 'AGENTS.md', (s, bin) => {
    const handler = { command: gitRootCommand(bin, 'windsurf'), show_output: true };
    return mergeFlatHooks(mergeFlatHooks(s, 'pre_run_command', handler, GUARD_MARK), 'pre_write_code', handler, GUARD_MARK);
  }),
  ownedTarget('opencode', 'OpenCode', '.opencode/plugins/agent-sessions-guard.js', opencodePlugin),
];

export const TARGET_NAMES = TARGETS.map((t) => t.name);

export function targetNamed(name: string): AgentTarget | undefined {
  return TARGETS.find((t) => t.name === name);
}

/** The bins the agent's wiring points at (for doctor). */
export function wiredBins(target: AgentTarget, root: string): string[] {
  return [...new Set(target.commands(root).map(binOf).filter((b): b is string => Boolean(b)))];
}

export { isObject };
