// `agent-sessions install-hooks`: (re)installs the client hooks; what `prepare` runs.
import type { Command } from '../cli/command.ts';
import { requireTopLevel, type CommonOptions } from '../context.ts';
import { installHooks, type HookInstallResult } from '../hooks-install.ts';

export async function installHooksCommand(options: CommonOptions = {}): Promise<HookInstallResult> {
  const cwd = options.cwd ?? process.cwd();
  return installHooks(requireTopLevel(cwd), cwd);
}

export const command: Command<CommonOptions, HookInstallResult> = {
  run: installHooksCommand,
  text: (r) =>
    r.huskyMessage
      ? `agent-sessions: hooks not installed (${r.huskyMessage})`
      : `agent-sessions: hooks installed (core.hooksPath=${r.hooksPath})${r.created.length ? `; created ${r.created.join(', ')}` : ''}`,
};
