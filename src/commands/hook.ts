// `agent-sessions hook <name> [args]`: runs the same handler dist/hook.cjs runs, for setups
// that call the CLI rather than the bundled runner (e.g. a hub hook written by hand).
// The handler reads stdin and prints its own messages; the exit code is its verdict.
import type { Command } from '../cli/command.ts';
import { UsageError } from '../errors.ts';
import { handlers } from '../hooks/handlers.ts';

export interface HookOptions {
  name: string;
  args?: string[];
  cwd?: string;
}

export interface HookResult {
  hook: string;
  exitCode: number;
}

export async function hook(options: HookOptions): Promise<HookResult> {
  const load = handlers[options.name];
  if (!load) {
    throw new UsageError('unknown-hook', `unknown hook ${JSON.stringify(options.name)}`, { fix: `use one of: ${Object.keys(handlers).join(', ')}` });
  }
  if (options.cwd) process.chdir(options.cwd);
  const exitCode = await (await load()).run(options.args ?? []);
  return { hook: options.name, exitCode };
}

export const command: Command<HookOptions, HookResult> = {
  run: hook,
  text: () => '',
  exitCode: (result) => result.exitCode,
};
