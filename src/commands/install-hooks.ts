// `agent-sessions install-hooks`: (re)installs the client hooks; what `prepare` runs.
import { ruleIds } from '../../rules/index.ts';
import type { Command } from '../cli/command.ts';
import { requireTopLevel, type CommonOptions } from '../context.ts';
import { loadHookConfig } from '../engine/hook-config.ts';
import { installHooks, type HookInstallResult } from '../hooks-install.ts';

export async function installHooksCommand(options: CommonOptions = {}): Promise<HookInstallResult> {
  const cwd = options.cwd ?? process.cwd();
  const top = requireTopLevel(cwd);
  const result = await installHooks(top, cwd);
  // The config's validation is cached by its text (engine/hook-config.ts): done here once, the
  // first command in a fresh clone (a claim) does not load the validator. A config with a
  // problem is reported by the hooks and commands that read it, as before.
  await loadHookConfig(top, ruleIds).catch(() => undefined);
  return result;
}

export const command: Command<CommonOptions, HookInstallResult> = {
  run: installHooksCommand,
  text: (r) =>
    r.huskyMessage
      ? `agent-sessions: hooks not installed (${r.huskyMessage})`
      : `agent-sessions: hooks installed (core.hooksPath=${r.hooksPath})${r.created.length ? `; created ${r.created.join(', ')}` : ''}`,
};
