// One hook payload in, the guard's answer out, in the agent's own protocol (the command,
// src/commands/guard.ts, only reads stdin and prints). Fail closed at every step: a payload the
// adapter cannot read, or one of another agent's shape (a hook wired with the wrong --agent), is
// blocked with the reason and a fix, never taken for a harmless tool.
import { UsageError } from '../errors.ts';
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

/** Judges one hook payload (text) in the named agent's terms, or the detected agent's. */
export function judgePayload(text: string, agent: string | undefined, defaultCwd: string): GuardAnswer {
  const payload = parse(text);
  const adapter = agent ? adapterNamed(agent) : detectAdapter(payload);
  if (!adapter) {
    throw new UsageError('unknown-agent', `guard does not speak the hook protocol of ${JSON.stringify(agent)}`, {
      fix: `use --agent ${ADAPTER_NAMES.join('|')} (or leave --agent out to detect it from the payload)`,
    });
  }
  const reading = readingOf(adapter, payload, defaultCwd);
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
