// One hook payload in, the guard's answer out, in the agent's own protocol (the command,
// src/commands/guard.ts, only reads stdin and prints). Fail closed at every step: a payload the
// adapter cannot read, or one of another agent's shape (a hook wired with the wrong --agent), is
// blocked with the reason and a fix, never taken for a harmless tool. So is an internal error
// (a bug in the policy, a parser that throws): thrown to the CLI it would exit 1, which Claude
// Code, Codex, Gemini CLI and Windsurf take for a non-blocking error and run the call, and
// Copilot and Cline, finding no JSON decision, too.
import { UsageError } from '../errors.ts';
import { redactCredentials } from '../remote.ts';
import { adapterNamed, ADAPTER_NAMES, detectAdapter, shapeOf } from './adapters/index.ts';
import { obj, type GuardAdapter, type HookReply, type Payload, type Reading } from './adapters/types.ts';
import { judgeCall, verdictOf } from './core.ts';
import type { Finding } from './policy.ts';

export interface GuardAnswer {
  agent: string;
  decision: 'allow' | 'block';
  tool?: string;
  findings: Finding[];
  note?: string;
  /** What the hook prints and exits with, in the agent's protocol. */
  reply: HookReply;
}

function parse(text: string): Payload | undefined {
  try {
    return obj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * The adapter's reading, or unreadable when it can only call the tool unknown while the payload
 * has another agent's shape whose adapter would judge it: e.g. Claude Code's MultiEdit or Codex's
 * apply_patch under --agent copilot, which reads their tool_name/tool_input form too.
 */
function readingOf(adapter: GuardAdapter, payload: Payload | undefined, defaultCwd: string): Reading {
  if (!payload) return { unreadable: 'the tool call on stdin is not a JSON object' };
  const reading = adapter.read(payload, defaultCwd);
  if (!('call' in reading) || reading.call.kind !== 'other') return reading;
  const shape = shapeOf(payload);
  if (!shape || shape === adapter) return reading;
  const theirs = shape.read(payload, defaultCwd);
  if ('call' in theirs && theirs.call.kind === 'other') return reading;
  return { unreadable: `${adapter.label} knows no tool ${JSON.stringify(reading.call.tool)}, which ${shape.label} judges` };
}

const blocked = (adapter: GuardAdapter, reason: string, fix: string): GuardAnswer => ({
  agent: adapter.name,
  decision: 'block',
  findings: [],
  note: reason,
  reply: adapter.reply({ decision: 'block', reason, fix }),
});

/**
 * An unknown --agent (a typo in the hook's command): blocked in the protocol of the agent whose
 * shape the payload has; a usage error (exit 2) only when no agent can be told from it.
 */
function unknownAgent(agent: string, payload: Payload | undefined): GuardAnswer {
  const reason = `guard does not speak the hook protocol of ${JSON.stringify(agent)}`;
  const shape = shapeOf(payload);
  if (!shape) throw new UsageError('unknown-agent', reason, { fix: `use --agent ${ADAPTER_NAMES.join('|')} (or leave --agent out to detect it from the payload)` });
  return blocked(
    shape,
    reason,
    `the payload has the shape of ${shape.label}'s hook: give ${shape.label}'s hook \`agent-sessions guard --agent ${shape.name}\` (\`agent-sessions init --agents ${shape.name}\` writes it), or leave --agent out; guard speaks ${ADAPTER_NAMES.join(', ')}`,
  );
}

/** Whatever the guard threw after reading the payload, as a block in the agent's protocol. */
function internalError(adapter: GuardAdapter, err: unknown): GuardAnswer {
  if (process.env.AGENT_SESSIONS_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(`${redactCredentials(err.stack)}\n`);
  const what = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0]!.slice(0, 300);
  return blocked(
    adapter,
    `internal error in the guard (${redactCredentials(what)}): the call could not be judged, so it is blocked`,
    "reinstall agent-sessions (`npm ci`) and run `agent-sessions doctor`; if it persists, report it with the tool call (AGENT_SESSIONS_DEBUG=1 prints the stack); AGENT_SESSIONS=0 in the agent's environment turns the guard off meanwhile",
  );
}

/**
 * The payload could not be read at all (stdin failed): blocked in the named agent's protocol,
 * Claude Code's when none is named (exit 2 + stderr, which every exit-code agent reads as a
 * block too), never the exit 1 a thrown error would give.
 */
export function unreadableInput(agent: string | undefined, err: unknown): GuardAnswer {
  const adapter = (agent ? adapterNamed(agent) : undefined) ?? adapterNamed('claude')!;
  const what = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
  return blocked(
    adapter,
    `cannot read the tool call on stdin (${redactCredentials(what)}): the call could not be judged, so it is blocked`,
    `check that the hook is wired as \`agent-sessions init --agents ${adapter.name}\` writes it (agent-sessions doctor); AGENT_SESSIONS=0 in the agent's environment turns the guard off meanwhile`,
  );
}

/** Judges one hook payload (text) in the named agent's terms, or the detected agent's. */
export function judgePayload(text: string, agent: string | undefined, defaultCwd: string): GuardAnswer {
  const payload = parse(text);
  const named = agent ? adapterNamed(agent) : undefined;
  if (agent && !named) return unknownAgent(agent, payload);
  const adapter = named ?? detectAdapter(payload);
  try {
    return judgeWith(adapter, payload, defaultCwd);
  } catch (err) {
    return internalError(adapter, err);
  }
}

function judgeWith(adapter: GuardAdapter, payload: Payload | undefined, defaultCwd: string): GuardAnswer {
  const reading = readingOf(adapter, payload, defaultCwd);
  if ('unreadable' in reading) {
    const note = `cannot read the ${adapter.label} tool call: ${reading.unreadable}`;
    // --agent names one agent, the payload has another's shape: a hook wired with the wrong --agent.
    const shape = shapeOf(payload);
    const fix =
      shape && shape !== adapter
        ? `the payload has the shape of ${shape.label}'s hook: give ${shape.label}'s hook \`agent-sessions guard --agent ${shape.name}\` (\`agent-sessions init --agents ${shape.name}\` writes it), or leave --agent out`
        : `check that the hook is wired as \`agent-sessions init --agents ${adapter.name}\` writes it (agent-sessions doctor)`;
    return blocked(adapter, note, fix);
  }
  const findings = judgeCall(reading.call);
  const verdict = verdictOf(findings);
  return { agent: adapter.name, decision: verdict.decision, tool: reading.call.tool, findings, reply: adapter.reply(verdict) };
}
