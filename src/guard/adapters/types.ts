// What every agent adapter does: read that agent's hook payload into one ToolCall, and write
// the policy's verdict back in that agent's block format. The policy itself knows no agent.

/** A tool call as the policy sees it, whatever agent sent it. */
export type ToolCall =
  | { kind: 'shell'; tool: string; command: string; cwd: string }
  | { kind: 'write'; tool: string; paths: string[]; cwd: string }
  | { kind: 'other'; tool: string };

/** An adapter's reading of a payload: a call, or why it could not be read. */
export type Reading = { call: ToolCall } | { unreadable: string };

export interface Verdict {
  decision: 'allow' | 'block';
  /** What was refused and why (for a block). */
  reason: string;
  /** What to do instead (for a block). */
  fix: string;
}

/** What the hook process prints and exits with. */
export interface HookReply {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type Payload = Record<string, unknown>;

export interface GuardAdapter {
  /** The --agent name, e.g. "claude". */
  name: string;
  /** The product, e.g. "Claude Code". */
  label: string;
  /** True when the payload has this agent's shape (for `guard` without --agent). */
  detect(payload: Payload): boolean;
  read(payload: Payload, defaultCwd: string): Reading;
  reply(verdict: Verdict): HookReply;
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const obj = (value: unknown): Payload | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : undefined;

/**
 * Why the payload is not `event`'s (another agent's hook, or none), or undefined when it is.
 * Every adapter checks its own event first: read as an unknown tool, another agent's call
 * would be allowed.
 */
export function notEvent(payload: Payload, event: string): string | undefined {
  const value = payload.hook_event_name;
  if (value === event) return undefined;
  return typeof value === 'string' ? `the payload's hook_event_name is ${JSON.stringify(value)}, not ${JSON.stringify(event)}` : `the payload has no hook_event_name ${JSON.stringify(event)}`;
}

/** The block message on stderr for protocols that block on exit code 2. */
export function exitTwo(verdict: Verdict, allowStdout = ''): HookReply {
  if (verdict.decision === 'allow') return { stdout: allowStdout, stderr: '', exitCode: 0 };
  return { stdout: '', stderr: `agent-sessions guard: blocked: ${verdict.reason}\n  fix: ${verdict.fix}\n`, exitCode: 2 };
}

/** The one-paragraph text a JSON-speaking agent shows its model. */
export const blockText = (verdict: Verdict): string => `agent-sessions guard blocked this: ${verdict.reason}. Fix: ${verdict.fix}`;

/**
 * The paths an apply_patch-style patch touches ("*** Add File: x", "*** Update File: x",
 * "*** Delete File: x", "*** Move to: x"), as Codex and OpenCode send them.
 */
export function patchPaths(patch: string): string[] {
  const paths: string[] = [];
  for (const match of patch.matchAll(/^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/gm)) paths.push(match[1]!.trim());
  return paths;
}

/** A shell call, or unreadable when the command is not a string. */
export function shellCall(tool: string, command: unknown, cwd: string): Reading {
  if (Array.isArray(command) && command.every((w) => typeof w === 'string')) {
    // An argv such as ["bash", "-lc", "<line>"]: the line is what the shell runs.
    const words = command as string[];
    const line = /^(?:.*\/)?(?:ba|z|da)?sh$/.test(words[0] ?? '') && /^-\w*c\w*$/.test(words[1] ?? '') ? words[2] : undefined;
    return { call: { kind: 'shell', tool, command: line ?? words.join(' '), cwd } };
  }
  if (typeof command !== 'string') return { unreadable: `the ${tool} call has no command string` };
  return { call: { kind: 'shell', tool, command, cwd } };
}

/** A file-writing call, or unreadable when no path could be found. */
export function writeCall(tool: string, paths: Array<unknown>, cwd: string): Reading {
  const found = paths.filter((p): p is string => typeof p === 'string' && p !== '');
  if (!found.length) return { unreadable: `the ${tool} call names no file path` };
  return { call: { kind: 'write', tool, paths: found, cwd } };
}
