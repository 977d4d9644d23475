// `agent-sessions guard [--agent <name>]`: the agent's pre-tool-use hook. Reads the tool call
// (JSON on stdin) with that agent's adapter (src/guard/adapters/), judges it with the one
// policy (src/guard/core.ts), and answers in the agent's own block format: exit 2 + stderr for
// Claude Code, Codex, Gemini, Windsurf and OpenCode; a JSON decision on stdout for Cursor,
// Copilot and Cline. Without --agent the payload's shape names the agent. A payload it cannot
// read is blocked with the reason (fail closed): an agent's protocol may fail open on a
// crashed hook, but never because we guessed.
import type { Command } from '../cli/command.ts';
import { UsageError } from '../errors.ts';
import { adapterNamed, ADAPTER_NAMES, detectAdapter, shapeOf } from '../guard/adapters/index.ts';
import { obj, type HookReply, type Payload } from '../guard/adapters/types.ts';
import { judgeCall, verdictOf } from '../guard/core.ts';
import type { Finding } from '../guard/policy.ts';

export const GUARD_AGENTS = ADAPTER_NAMES;

export interface GuardOptions {
  agent?: string;
  cwd?: string;
  /** The hook payload; default: all of stdin. */
  input?: string;
  /** Where the reply's stderr goes; default process.stderr. */
  warn?: (text: string) => void;
}

export interface GuardResult {
  agent: string;
  decision: 'allow' | 'block';
  tool?: string;
  findings: Finding[];
  note?: string;
  /** What the hook prints and exits with, in the agent's protocol. */
  reply: HookReply;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parse(text: string): Payload | undefined {
  try {
    return obj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Judges one hook payload (text) in the named agent's terms, or the detected agent's. */
export function judgePayload(text: string, agent: string | undefined, defaultCwd: string): Omit<GuardResult, 'reply'> & { reply: HookReply } {
  const payload = parse(text);
  const adapter = agent ? adapterNamed(agent) : detectAdapter(payload);
  if (!adapter) {
    throw new UsageError('unknown-agent', `guard does not speak the hook protocol of ${JSON.stringify(agent)}`, {
      fix: `use --agent ${ADAPTER_NAMES.join('|')} (or leave --agent out to detect it from the payload)`,
    });
  }
  const reading = payload ? adapter.read(payload, defaultCwd) : { unreadable: 'the tool call on stdin is not a JSON object' };
  if ('unreadable' in reading) {
    const note = `cannot read the ${adapter.label} tool call: ${reading.unreadable}`;
    // --agent names one agent, the payload has another's shape: a hook wired with the wrong --agent.
    const shape = shapeOf(payload);
    const fix =
      shape && shape !== adapter
        ? `the payload has the shape of ${shape.label}'s hook: give ${shape.label}'s hook \`agent-sessions guard --agent ${shape.name}\` (\`agent-sessions init --agents ${shape.name}\` writes it), or leave --agent out`
        : `check that the hook is wired as \`agent-sessions init --agents ${adapter.name}\` writes it (agent-sessions doctor)`;
    const verdict = { decision: 'block' as const, reason: note, fix };
    return { agent: adapter.name, decision: 'block', findings: [], note, reply: adapter.reply(verdict) };
  }
  const findings = judgeCall(reading.call);
  const verdict = verdictOf(findings);
  return { agent: adapter.name, decision: verdict.decision, tool: reading.call.tool, findings, reply: adapter.reply(verdict) };
}

/** Judges one Claude Code PreToolUse payload (object). */
export function judgeClaudeCall(payload: object, defaultCwd: string): GuardResult {
  return judgePayload(JSON.stringify(payload), 'claude', defaultCwd);
}

export async function guard(options: GuardOptions = {}): Promise<GuardResult> {
  if (options.agent !== undefined && !adapterNamed(options.agent)) judgePayload('{}', options.agent, '');
  if (process.env.AGENT_SESSIONS === '0') {
    const adapter = adapterNamed(options.agent ?? 'claude')!;
    const reply = adapter.reply({ decision: 'allow', reason: '', fix: '' });
    return { agent: adapter.name, decision: 'allow', findings: [], note: 'AGENT_SESSIONS=0: guard off', reply };
  }
  const text = options.input ?? (await readStdin());
  const result = judgePayload(text, options.agent, options.cwd ?? process.cwd());
  const warn = options.warn ?? ((line: string) => process.stderr.write(line));
  if (result.reply.stderr) warn(result.reply.stderr);
  return result;
}

export const command: Command<GuardOptions, GuardResult> = {
  run: guard,
  // What the hook prints is the agent's business: nothing, {}, or its JSON decision.
  text: (r) => r.reply.stdout,
  exitCode: (r) => r.reply.exitCode,
};
