// Every refusal the CLI and hooks make is one of these. Exit codes come from PROTOCOL.md
// and are mapped in exactly one place (exitCodeOf); commands only throw.
import { redactCredentials } from './remote.ts';

export const ExitCode = {
  ok: 0,
  refused: 1,
  usage: 2,
  lostRace: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetails {
  /** What to do instead: one line an agent can act on. */
  fix?: string;
  /** Structured data for --json output (paths, holders, files...). */
  data?: Record<string, unknown>;
}

export abstract class AgentSessionsError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** Stable machine-readable id, e.g. "bad-slug", "not-planned". */
  readonly code: string;
  readonly fix: string | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.fix = details.fix;
    this.data = details.data;
  }
}

/** Bad input or usage: exit 2. Nothing has been written when this is thrown. */
export class UsageError extends AgentSessionsError {
  readonly exitCode = ExitCode.usage;
}

/** The operation is refused (violations, dirty worktree, conflict): exit 1. */
export class RefusedError extends AgentSessionsError {
  readonly exitCode = ExitCode.refused;
}

/** Lost the race: the session is no longer in the state the command needs: exit 3. */
export class LostRaceError extends AgentSessionsError {
  readonly exitCode = ExitCode.lostRace;
}

/** git exited non-zero. Thrown only by src/git.ts. */
export class GitError extends Error {
  readonly args: readonly string[];
  readonly status: number | null;
  readonly stderr: string;
  constructor(args: readonly string[], status: number | null, stderr: string) {
    const shown = stderr.trim().split('\n').slice(-3).join(' / ');
    super(`git ${args.slice(0, 3).join(' ')} failed (exit ${status ?? 'signal'}): ${shown}`);
    this.name = 'GitError';
    this.args = args;
    this.status = status;
    this.stderr = stderr;
  }
}

export function exitCodeOf(err: unknown): ExitCodeValue {
  if (err instanceof AgentSessionsError) return err.exitCode;
  return ExitCode.refused;
}

/** One line, never a stack trace (unless AGENT_SESSIONS_DEBUG=1 asks for it). */
// Every consumer (CLI output, MCP answers, hooks) describes errors through here, so a hub URL
// with a password or token in it is redacted once for all of them.
export function describeError(err: unknown): { code: string; message: string; fix?: string; data?: Record<string, unknown> } {
  if (err instanceof AgentSessionsError) {
    const data = err.data ? (JSON.parse(redactCredentials(JSON.stringify(err.data))) as Record<string, unknown>) : undefined;
    return { code: err.code, message: redactCredentials(err.message), ...(err.fix ? { fix: redactCredentials(err.fix) } : {}), ...(data ? { data } : {}) };
  }
  if (err instanceof GitError) return { code: 'git-failed', message: redactCredentials(err.message) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal-error', message: redactCredentials(`internal error: ${message.split('\n')[0]}`) };
}
