// post-checkout <prev> <new> <flag>: git stores no read-only bit, so after every checkout
// SESSION.md of active and completed sessions is set back to 0444 and the others to 0644
// (a courtesy to agents: the content rules are the real guard). File system only, no git.
// On a branch checkout of `session/<slug>` whose identity is not active in this shell, it
// prints the one line that activates it. It never fails the checkout (git could not undo it).
import { ruleIds } from '../../rules/index.ts';
import { loadHookConfig } from '../engine/hook-config.ts';
import { currentBranchOf, gitDirOf } from '../git.ts';
import { applySessionModes } from '../session-modes.ts';
import { isSlug } from '../slug.ts';
import { activationLine, cliInvocation } from '../activation.ts';
import { parse } from 'node:path';

export async function run(args: readonly string[]): Promise<number> {
  const top = process.env.GIT_WORK_TREE || process.cwd();
  let config;
  try {
    // Same rule ids as the commit hooks, so all hooks share one cached validation.
    config = await loadHookConfig(top, ruleIds);
  } catch (err) {
    process.stderr.write(`agent-sessions post-checkout: ${(err as Error).message.split('\n')[0]}; SESSION.md modes not applied\n`);
    return 0;
  }
  applySessionModes(top, config.paths.sessions);
  if (args[2] === '1') {
    const branch = currentBranchOf(gitDirOf(top));
    const slug = branch?.startsWith(config.git.branchPrefix) ? branch.slice(config.git.branchPrefix.length) : undefined;
    if (slug && isSlug(slug) && process.env.SESSION_SLUG !== slug) {
      const line = activationLine(cliInvocation(parse(top).root, top), slug);
      process.stderr.write(`agent-sessions: on session ${slug}; activate its identity in this shell with: ${line}\n`);
    }
  }
  return 0;
}
