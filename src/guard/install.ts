// `init --agents claude`: writes the agent's pre-tool-use hook config so that its shell calls
// and file writes pass through `agent-sessions guard`. Merges into an existing settings file
// without touching other keys, and writes nothing when our hooks are already there.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '../errors.ts';
import { GUARD_AGENTS } from '../commands/guard.ts';

interface StepContext {
  root: string;
  cwd: string;
  created: string[];
  updated: string[];
}

export const CLAUDE_SETTINGS = '.claude/settings.json';
export const GUARD_MARK = '# agent-sessions guard';

/** The package's bin, relative to the repository (the nearest package.json from cwd). */
function binFor(root: string, cwd: string): string {
  let dir = cwd;
  while (dir.startsWith(root)) {
    if (existsSync(join(dir, 'package.json'))) return relative(root, join(dir, 'node_modules', '.bin', 'agent-sessions')).split('\\').join('/');
    if (dir === root) break;
    dir = dirname(dir);
  }
  return 'node_modules/.bin/agent-sessions';
}

/**
 * The hook command: the project's own bin, no npx (a network fetch on every tool call).
 * Claude Code runs it with a shell and sets $CLAUDE_PROJECT_DIR. A session worktree has no
 * node_modules of its own, so when the bin is not in the project dir we look in the main
 * worktree (the parent of git's common dir). The trailing comment marks the entry as ours.
 */
export function claudeGuardCommand(bin: string): string {
  return [
    `b="$CLAUDE_PROJECT_DIR/${bin}"`,
    `[ -x "$b" ] || b="$(git -C "$CLAUDE_PROJECT_DIR" rev-parse --path-format=absolute --git-common-dir)/../${bin}"`,
    `"$b" guard --agent claude ${GUARD_MARK}`,
  ].join('; ');
}

/** The bin path a guard command written by init points at (for doctor), or undefined. */
export function guardBinOf(command: string): string | undefined {
  return command.includes(GUARD_MARK) ? /b="\$CLAUDE_PROJECT_DIR\/([^"]+)"/.exec(command)?.[1] : undefined;
}

type HookEntry = { matcher?: string; hooks?: Array<{ type?: string; command?: string }> };

/** Pure merge: returns the new settings object, or undefined when nothing needs to change. */
export function mergeClaudeSettings(settings: Record<string, unknown>, command: string): Record<string, unknown> | undefined {
  const hooks = (settings.hooks && typeof settings.hooks === 'object' && !Array.isArray(settings.hooks) ? settings.hooks : {}) as Record<string, unknown>;
  const pre = (Array.isArray(hooks.PreToolUse) ? hooks.PreToolUse : []) as HookEntry[];
  let changed = !Array.isArray(hooks.PreToolUse);
  const next = pre.map((entry) => ({ ...entry }));
  for (const matcher of ['Bash', 'Write|Edit|MultiEdit']) {
    const entry = next.find((e) => e.matcher === matcher);
    const ours = { type: 'command', command };
    if (!entry) {
      next.push({ matcher, hooks: [ours] });
      changed = true;
    } else if (!(entry.hooks ?? []).some((h) => typeof h.command === 'string' && h.command.includes(GUARD_MARK))) {
      entry.hooks = [...(entry.hooks ?? []), ours];
      changed = true;
    }
  }
  if (!changed) return undefined;
  return { ...settings, hooks: { ...hooks, PreToolUse: next } };
}

export function installClaudeGuard(root: string, cwd: string, created: string[], updated: string[]): void {
  const file = join(root, CLAUDE_SETTINGS);
  let settings: Record<string, unknown> = {};
  const exists = existsSync(file);
  if (exists) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      settings = parsed as Record<string, unknown>;
    } catch (err) {
      throw new UsageError('bad-agent-settings', `${CLAUDE_SETTINGS} is not a JSON object (${(err as Error).message})`, {
        fix: `repair ${CLAUDE_SETTINGS} (or move it away) and run init --agents claude again`,
      });
    }
  }
  const merged = mergeClaudeSettings(settings, claudeGuardCommand(binFor(root, cwd)));
  if (!merged) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  (exists ? updated : created).push(CLAUDE_SETTINGS);
}

/** The init extension: `--agents claude[,other]`. */
export function agentGuardsStep(options: { agents?: string }): ((ctx: StepContext) => void) | undefined {
  if (!options.agents) return undefined;
  const agents = options.agents
    .split(/[,\s]+/)
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  const unknown = agents.filter((a) => !(GUARD_AGENTS as readonly string[]).includes(a));
  if (unknown.length) {
    throw new UsageError('unknown-agent', `no guard hook format known for ${unknown.join(', ')}`, {
      fix: `use --agents ${GUARD_AGENTS.join(',')} (the formats we could verify from each agent's documentation)`,
    });
  }
  return (ctx) => {
    if (agents.includes('claude')) installClaudeGuard(ctx.root, ctx.cwd, ctx.created, ctx.updated);
  };
}
