// pre-commit: judges the staged changes (index vs HEAD) before the message exists.
import { hookTop, runCommitHook } from './commit-time.ts';

export async function run(_args: readonly string[]): Promise<number> {
  return runCommitHook({ hook: 'pre-commit', top: hookTop() });
}
