// post-merge (after `git pull`, `git merge`) and post-rewrite (after `git rebase`,
// `git commit --amend`): git rewrites files without a checkout, so SESSION.md of active and
// completed sessions comes back 0644 unless the modes are applied again, as post-checkout
// does. File system only; never fails (the merge or rewrite is already done).
import { ruleIds } from '../../rules/index.ts';
import { loadHookConfig } from '../engine/hook-config.ts';
import { applySessionModes } from '../session-modes.ts';

export async function run(_args: readonly string[]): Promise<number> {
  const top = process.env.GIT_WORK_TREE || process.cwd();
  try {
    const config = await loadHookConfig(top, ruleIds);
    applySessionModes(top, config.paths.sessions);
  } catch (err) {
    process.stderr.write(`agent-sessions: ${(err as Error).message.split('\n')[0]}; SESSION.md modes not applied\n`);
  }
  return 0;
}
