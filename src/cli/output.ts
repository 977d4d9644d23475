// Prints a command's result or error: text for people, one JSON document for agents.
import { describeError, exitCodeOf, type ExitCodeValue } from '../errors.ts';
import { printable, printableText } from '../printable.ts';
import type { Command } from './command.ts';

export interface OutputMode {
  json: boolean;
  verb: string;
}

export function printResult<O, R>(command: Command<O, R>, result: R, mode: OutputMode): number {
  const exitCode = command.exitCode?.(result) ?? 0;
  if (mode.json) {
    const doc = command.json ? command.json(result) : { ok: exitCode === 0, ...(result as object) };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const text = command.text(result);
    // names in the text are repository data: no raw control character reaches the terminal
    if (text) process.stdout.write(`${printableText(text)}\n`);
  }
  return exitCode;
}

export function printError(err: unknown, mode: OutputMode): ExitCodeValue {
  const exitCode = exitCodeOf(err);
  const info = describeError(err);
  if (mode.json) {
    process.stdout.write(`${JSON.stringify({ ok: false, exitCode, error: info }, null, 2)}\n`);
  } else {
    process.stderr.write(`agent-sessions ${mode.verb}: ${printable(info.message, 2000)}\n`);
    if (info.fix) process.stderr.write(`  fix: ${printable(info.fix, 2000)}\n`);
  }
  if (process.env.AGENT_SESSIONS_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return exitCode;
}
