// `init --agents claude,gemini`: writes each agent's pre-tool-use hook config so that its shell
// calls and file writes pass through `agent-sessions guard`. Merges into an existing settings
// file without touching other keys, and writes nothing when our hooks are already there.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { packageBinFor } from '../hooks-install.ts';
import { safeWriteFile } from '../safe-fs.ts';
import { AGENT_PROFILES, agentProfile, GUARD_AGENTS, type AgentProfile } from './agents.ts';

interface StepContext {
  root: string;
  cwd: string;
  created: string[];
  updated: string[];
}

export const CLAUDE_SETTINGS = AGENT_PROFILES.claude!.settingsFile;
export const GUARD_MARK = '# agent-sessions guard';

/**
 * The hook command: the project's own bin, no npx (a network fetch on every tool call).
 * The agent runs it with a shell and sets its project-dir variable. A session worktree has no
 * node_modules of its own, so when the bin is not in the project dir we look in the main
 * worktree (the parent of git's common dir). The trailing comment marks the entry as ours.
 */
export function guardCommand(bin: string, agent = 'claude'): string {
  const dir = `$${agentProfile(agent)!.projectDirVar}`;
  return [
    `b="${dir}/${bin}"`,
    `[ -x "$b" ] || b="$(git -C "${dir}" rev-parse --path-format=absolute --git-common-dir)/../${bin}"`,
    `"$b" guard --agent ${agent} ${GUARD_MARK}`,
  ].join('; ');
}

export const claudeGuardCommand = (bin: string): string => guardCommand(bin, 'claude');

/** The bin path a guard command written by init points at (for doctor), or undefined. */
export function guardBinOf(command: string): string | undefined {
  return command.includes(GUARD_MARK) ? /b="\$[A-Z_]+_PROJECT_DIR\/([^"]+)"/.exec(command)?.[1] : undefined;
}

type HookEntry = { matcher?: string; hooks?: Array<{ type?: string; command?: string }> };

/** Pure merge: returns the new settings object, or undefined when nothing needs to change. */
export function mergeHookSettings(settings: Record<string, unknown>, profile: AgentProfile, command: string): Record<string, unknown> | undefined {
  const hooks = (settings.hooks && typeof settings.hooks === 'object' && !Array.isArray(settings.hooks) ? settings.hooks : {}) as Record<string, unknown>;
  const existing = hooks[profile.event];
  let changed = !Array.isArray(existing);
  const next = ((Array.isArray(existing) ? existing : []) as HookEntry[]).map((entry) => ({ ...entry }));
  for (const matcher of [profile.matchers.shell, profile.matchers.write]) {
    const entry = next.find((e) => e.matcher === matcher);
    const ours = { ...profile.hookFields, type: 'command', command };
    if (!entry) {
      next.push({ matcher, hooks: [ours] });
      changed = true;
    } else if (!(entry.hooks ?? []).some((h) => typeof h.command === 'string' && h.command.includes(GUARD_MARK))) {
      entry.hooks = [...(entry.hooks ?? []), ours];
      changed = true;
    }
  }
  if (!changed) return undefined;
  return { ...settings, hooks: { ...hooks, [profile.event]: next } };
}

export const mergeClaudeSettings = (settings: Record<string, unknown>, command: string) => mergeHookSettings(settings, AGENT_PROFILES.claude!, command);

export function installGuard(profile: AgentProfile, root: string, cwd: string, created: string[], updated: string[]): void {
  const rel = profile.settingsFile;
  const file = join(root, rel);
  let settings: Record<string, unknown> = {};
  const exists = existsSync(file);
  if (exists) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      settings = parsed as Record<string, unknown>;
    } catch (err) {
      throw new UsageError('bad-agent-settings', `${rel} is not a JSON object (${(err as Error).message})`, {
        fix: `repair ${rel} (or move it away) and run init --agents ${profile.name} again`,
      });
    }
  }
  const merged = mergeHookSettings(settings, profile, guardCommand(packageBinFor(root, cwd), profile.name));
  if (!merged) return;
  safeWriteFile(root, file, `${JSON.stringify(merged, null, 2)}\n`);
  (exists ? updated : created).push(rel);
}

/** The init extension: `--agents claude[,gemini]`. */
export function agentGuardsStep(options: { agents?: string }): ((ctx: StepContext) => void) | undefined {
  if (!options.agents) return undefined;
  const agents = [...new Set(options.agents.split(/[,\s]+/).map((a) => a.trim().toLowerCase()).filter(Boolean))];
  const unknown = agents.filter((a) => !agentProfile(a));
  if (unknown.length) {
    throw new UsageError('unknown-agent', `no guard hook format known for ${unknown.join(', ')}`, {
      fix: `use --agents ${GUARD_AGENTS.join(',')} (the formats we could verify from each agent's documentation)`,
    });
  }
  return (ctx) => {
    for (const agent of agents) installGuard(agentProfile(agent)!, ctx.root, ctx.cwd, ctx.created, ctx.updated);
  };
}
