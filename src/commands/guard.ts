// `agent-sessions guard [--agent <name>]`: the agent's pre-tool-use hook. Reads the tool call
// (JSON on stdin) with that agent's adapter (src/guard/adapters/), judges it with the one
// policy (src/guard/core.ts), and answers in the agent's own block format: exit 2 + stderr for
// Claude Code, Codex, Gemini, Windsurf and OpenCode; a JSON decision on stdout for Cursor,
// Copilot and Cline. Without --agent the payload's shape names the agent. A payload it cannot
// read is blocked with the reason (fail closed, src/guard/answer.ts): an agent's protocol may
// fail open on a crashed hook, but never because we guessed.
import type { Command } from '../cli/command.ts';
import { ADAPTER_NAMES, adapterNamed, detectAdapter } from '../guard/adapters/index.ts';
import { obj, type Payload } from '../guard/adapters/types.ts';
import { judgePayload, unreadableInput, type GuardAnswer } from '../guard/answer.ts';

export { judgePayload } from '../guard/answer.ts';
export const GUARD_AGENTS = ADAPTER_NAMES;

export interface GuardOptions {
  agent?: string;
  cwd?: string;
  /** The hook payload; default: all of stdin. */
  input?: string;
  /** Where the reply's stderr goes; default process.stderr. */
  warn?: (text: string) => void;
}

export type GuardResult = GuardAnswer;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parsed(text: string): Payload | undefined {
  try {
    return obj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Judges one Claude Code PreToolUse payload (object). */
export function judgeClaudeCall(payload: object, defaultCwd: string): GuardResult {
  return judgePayload(JSON.stringify(payload), 'claude', defaultCwd);
}

export async function guard(options: GuardOptions = {}): Promise<GuardResult> {
  let text: string;
  try {
    text = options.input ?? (await readStdin());
  } catch (err) {
    return unreadableInput(options.agent, err);
  }
  // Guard off: allowed in the named agent's protocol, else in the protocol of the agent whose
  // shape the payload has (Cursor, Copilot and Cline read a JSON decision, not an exit code).
  // An unknown --agent is answered from the payload's shape (judgePayload), guard off or not.
  const named = options.agent ? adapterNamed(options.agent) : detectAdapter(parsed(text));
  if (process.env.AGENT_SESSIONS === '0' && named) {
    const reply = named.reply({ decision: 'allow', reason: '', fix: '' });
    return { agent: named.name, decision: 'allow', findings: [], note: 'AGENT_SESSIONS=0: guard off', reply };
  }
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
