// Reads all of a hook's standard input (pre-push and pre-receive get one line per ref; a
// push can carry thousands). An empty or closed stdin gives ''; a terminal gives '' at once.
import { printable } from '../engine/report.ts';

/** `read`: what was read of the stream already (its first bytes). */
export async function readStdin(stream: NodeJS.ReadStream = process.stdin, read?: Buffer): Promise<string> {
  const chunks: Buffer[] = read ? [read] : [];
  if (stream.isTTY) return Buffer.concat(chunks).toString('utf8');
  try {
    for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  } catch {
    /* a closed pipe is an empty input */
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Non-empty lines split on single spaces. */
export function refLines(input: string): string[][] {
  return input
    .split('\n')
    .map((line) => line.replace(/\r$/, '').trim())
    .filter(Boolean)
    .map((line) => line.split(' '));
}

export const isZeroId = (id: string | undefined): boolean => id === undefined || /^0+$/.test(id);

/** Short, actionable lines about violations (hooks and the hub print these). */
export function violationLines(violations: readonly { rule: string; commit?: string; message: string; fix: string; path?: string }[], limit = 20): string[] {
  const lines: string[] = [];
  for (const v of violations.slice(0, limit)) {
    // Messages quote commit headers: control characters are shown escaped (hostile input).
    lines.push(`  ${v.commit ? v.commit.slice(0, 12) : '-'} [${v.rule}] ${printable(v.message)}`);
    lines.push(`      fix: ${printable(v.fix)}`);
  }
  if (violations.length > limit) lines.push(`  …and ${violations.length - limit} more (run \`agent-sessions check\` for the full list)`);
  return lines;
}
