// Reporters: violations -> text. Human form is one line per violation (severity, rule id,
// where, what, and the fix), coloured only when the stream is a terminal and NO_COLOR is
// unset; JSON form is one document. Pure: callers decide where to write.
import { printable } from '../printable.ts';
import type { Violation } from './types.ts';

export interface HumanOptions {
  /** Who speaks, e.g. "pre-commit" or "check". */
  source: string;
  color?: boolean;
  /** The closing line when there are errors; default "refused". */
  refusal?: string;
}

const paint = (on: boolean, code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

// Messages quote commit headers and paths, which are hostile input: the one printer
// (src/printable.ts) escapes control characters and cuts a quoted 10 KB header.
export { printable };

export function formatViolation(v: Violation, color = false): string {
  const severity = v.severity === 'error' ? paint(color, '31', 'error') : paint(color, '33', 'warn ');
  const where = printable([v.commit ? v.commit.slice(0, 12) : '', v.path ?? ''].filter(Boolean).join(' '));
  return `${severity} ${paint(color, '1', v.rule)}${where ? ` ${where}:` : ':'} ${printable(v.message)} ${paint(color, '2', '->')} fix: ${printable(v.fix)}`;
}

export function formatHuman(violations: readonly Violation[], options: HumanOptions): string {
  if (violations.length === 0) return '';
  const color = options.color ?? false;
  const errors = violations.filter((v) => v.severity === 'error').length;
  const lines = violations.map((v) => `agent-sessions ${options.source}: ${formatViolation(v, color)}`);
  if (errors > 0) lines.push(`agent-sessions ${options.source}: ${options.refusal ?? 'refused'} (${errors} error${errors === 1 ? '' : 's'})`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(violations: readonly Violation[], source: string): string {
  const errors = violations.filter((v) => v.severity === 'error').length;
  return `${JSON.stringify({ ok: errors === 0, source, errors, warnings: violations.length - errors, violations })}\n`;
}

/** Colour on a TTY only, and never when NO_COLOR is set. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}
