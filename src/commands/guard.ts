// `agent-sessions guard [--agent claude]`: the agent's pre-tool-use hook. Reads the tool call
// (JSON on stdin), and blocks protocol breaches before they happen, in the agent's own hook
// protocol. For Claude Code's PreToolUse that is exit code 2 with the reason on stderr (exit 1
// would be shown and ignored). Anything it cannot read is allowed with a note on stderr: a
// guard that crashed would block the agent's every call.
import { resolve } from 'node:path';
import type { Command } from '../cli/command.ts';
import { defaultConfig, loadConfig, type Config } from '../config.ts';
import { AgentSessionsError, ExitCode, UsageError } from '../errors.ts';
import { findTopLevel, gitSync } from '../git.ts';
import { agentProfile, AGENT_PROFILES, GUARD_AGENTS, type AgentProfile } from '../guard/agents.ts';
import { checkFileWrite, checkShellLine, type Finding, type PolicyFacts } from '../guard/policy.ts';

export { GUARD_AGENTS } from '../guard/agents.ts';

export interface GuardOptions {
  agent?: string;
  cwd?: string;
  /** The hook payload; default: all of stdin. */
  input?: string;
  /** Where notes about unreadable payloads go; default stderr. */
  warn?: (line: string) => void;
}

export interface GuardResult {
  agent: string;
  decision: 'allow' | 'block';
  tool?: string;
  findings: Finding[];
  note?: string;
}

/** A blocked tool call. Exit 2 is what Claude Code's PreToolUse reads as "deny". */
export class GuardBlocked extends AgentSessionsError {
  readonly exitCode = ExitCode.usage;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Facts for the policy, computed on first use: most tool calls never need git at all. */
function factsFor(baseDir: string): PolicyFacts {
  let config: Config | undefined;
  const load = (): Config => {
    if (config) return config;
    config = defaultConfig();
    const top = findTopLevel(baseDir);
    try {
      if (top) config = loadConfig(top);
    } catch {
      /* a broken config is doctor's business; judge with the defaults */
    }
    return config;
  };
  return {
    get mainBranch() {
      return load().git.mainBranch;
    },
    get sessionsPath() {
      return load().paths.sessions;
    },
    currentBranch: (dir) => {
      try {
        return gitSync(['symbolic-ref', '--short', '-q', 'HEAD'], { cwd: dir ? resolve(baseDir, dir) : baseDir }).trim() || undefined;
      } catch {
        return undefined;
      }
    },
  };
}

type Payload = { tool_name?: unknown; tool_input?: Record<string, unknown>; cwd?: unknown };

/** Judges one pre-tool-use payload in the given agent's terms. */
export function judgeToolCall(profile: AgentProfile, payload: Payload, defaultCwd: string): GuardResult {
  const tool = typeof payload.tool_name === 'string' ? payload.tool_name : undefined;
  const input = payload.tool_input && typeof payload.tool_input === 'object' ? payload.tool_input : {};
  let baseDir = typeof payload.cwd === 'string' && payload.cwd ? payload.cwd : defaultCwd;
  // Gemini's run_shell_command may name its own directory, relative to the project root.
  if (typeof input.directory === 'string' && input.directory) baseDir = resolve(baseDir, input.directory);
  let findings: Finding[] = [];
  if (tool && profile.shellTools.includes(tool) && typeof input.command === 'string') {
    findings = checkShellLine(input.command, factsFor(baseDir));
  } else if (tool && profile.writeTools.includes(tool) && typeof input.file_path === 'string') {
    const file = resolve(baseDir, input.file_path);
    const finding = /SESSION\.md$/.test(file) ? checkFileWrite(file, factsFor(baseDir)) : undefined;
    if (finding) findings = [finding];
  }
  return { agent: profile.name, decision: findings.length ? 'block' : 'allow', ...(tool ? { tool } : {}), findings };
}

/** Judges one Claude Code PreToolUse payload. */
export function judgeClaudeCall(payload: Payload, defaultCwd: string): GuardResult {
  return judgeToolCall(AGENT_PROFILES.claude!, payload, defaultCwd);
}

export async function guard(options: GuardOptions = {}): Promise<GuardResult> {
  const agent = options.agent ?? 'claude';
  const profile = agentProfile(agent);
  if (!profile) {
    throw new UsageError('unknown-agent', `guard does not speak the hook protocol of ${JSON.stringify(agent)}`, {
      fix: `use --agent ${GUARD_AGENTS.join(' or --agent ')}`,
    });
  }
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (process.env.AGENT_SESSIONS === '0') return { agent, decision: 'allow', findings: [], note: 'AGENT_SESSIONS=0: guard off' };
  const text = options.input ?? (await readStdin());
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    const note = 'agent-sessions guard: the tool call on stdin is not a JSON object; allowed without a check';
    warn(note);
    return { agent, decision: 'allow', findings: [], note };
  }
  if (typeof (payload as Payload).tool_name !== 'string') {
    const note = 'agent-sessions guard: the tool call on stdin names no tool (tool_name is not a string); allowed without a check';
    warn(note);
    return { agent, decision: 'allow', findings: [], note };
  }
  const result = judgeToolCall(profile, payload as Payload, options.cwd ?? process.cwd());
  if (result.decision === 'block') {
    const what = result.findings.map((f) => f.reason).join('; ');
    const fix = result.findings.map((f) => f.fix).join('; ');
    throw new GuardBlocked(result.findings[0]!.id, `blocked: ${what}`, { fix, data: { findings: result.findings } });
  }
  return result;
}

export const command: Command<GuardOptions, GuardResult> = {
  run: guard,
  // What an allowed call prints is the agent's business (nothing for Claude Code, {} for Gemini).
  text: (r) => agentProfile(r.agent)?.allowOutput ?? '',
};

