// `init --agents <list>|all` and doctor's agent checks, in one module so that init.ts and
// doctor.ts each call it with one line. For every chosen agent: its guard wiring (targets.ts)
// and the protocol section in the instructions file it reads (instructions.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { packageBinFor } from '../hooks-install.ts';
import type { Layout } from '../layout.ts';
import { danglingLink, planInstructions, renderSection, writeInstructions } from './instructions.ts';
import { TARGET_NAMES, TARGETS, targetNamed, wiredBins, type AgentTarget } from './targets.ts';

export { TARGET_NAMES } from './targets.ts';

interface StepContext {
  root: string;
  cwd: string;
  layout: Layout;
  created: string[];
  updated: string[];
}

export function parseAgentList(list: string): AgentTarget[] {
  const names = [...new Set(list.split(/[,\s]+/).map((a) => a.trim().toLowerCase()).filter(Boolean))];
  if (names.includes('all')) return [...TARGETS];
  const unknown = names.filter((n) => !targetNamed(n));
  if (unknown.length || !names.length) {
    throw new UsageError('unknown-agent', `no guard hook format known for ${unknown.join(', ') || '(none given)'}`, {
      fix: `use --agents ${TARGET_NAMES.join(',')} or --agents all (the formats we could verify from each agent's documentation)`,
    });
  }
  return names.map((n) => targetNamed(n)!);
}

/** The init extension for `--agents`: wiring plus instructions, merged, byte-stable on re-run. */
export function agentsInitStep(options: { agents?: string }): ((ctx: StepContext) => void) | undefined {
  if (!options.agents) return undefined;
  const targets = parseAgentList(options.agents);
  return (ctx) => {
    const bin = packageBinFor(ctx.root, ctx.cwd);
    const log = { created: ctx.created, updated: ctx.updated };
    // init validated the config before any step ran.
    const section = renderSection(loadConfig(ctx.root), ctx.layout);
    const files = [...new Set(['AGENTS.md', ...targets.map((t) => t.instructions)])];
    // Every instruction file is read (a link, FIFO or device refused) before anything is written;
    // a dangling link is judged when its turn comes (CLAUDE.md -> AGENTS.md, once AGENTS.md is written).
    for (const file of files) if (!danglingLink(join(ctx.root, file))) planInstructions(ctx.root, file, section);
    for (const target of targets) target.install(ctx.root, bin, log);
    for (const file of files) writeInstructions(ctx.root, file, section, log);
  };
}

export interface AgentGuardCheck {
  id: string;
  ok: boolean;
  message: string;
  fix?: string;
}

/** One doctor check per agent: not wired (fine, says how), wired and resolving, or broken. */
export function agentGuardChecks(root: string): AgentGuardCheck[] {
  return TARGETS.map((target) => {
    const id = `agent-guard:${target.name}`;
    let bins: string[];
    try {
      bins = wiredBins(target, root);
    } catch (err) {
      return { id, ok: false, message: `${target.file}: ${(err as Error).message}; ${target.label} ignores its hooks`, fix: `repair ${target.file}, then run \`agent-sessions init --agents ${target.name}\`` };
    }
    if (!bins.length) return { id, ok: true, message: `${target.label} guard not set up (optional: \`agent-sessions init --agents ${target.name}\`)` };
    const missing = bins.filter((bin) => !existsSync(join(root, bin)));
    if (missing.length) {
      return { id, ok: false, message: `the ${target.label} guard (${target.file}) calls ${missing.join(', ')}, which does not exist: the guard protects nothing`, fix: 'run `npm install` (agent-sessions must be a dependency of the project)' };
    }
    return { id, ok: true, message: `${target.label} guard wired in ${target.file} to ${bins.join(', ')}` };
  });
}
