// The commit-time hooks (pre-commit, commit-msg) share one path:
// config -> facts (lazy, few git calls) -> the rules serving this run point -> report -> exit.
// Refusals print one line per violation on stderr and exit 1; a bad config exits 2; a rule
// that crashes prints one line naming it and exits 1 (stack only with AGENT_SESSIONS_DEBUG=1).
import { rules, ruleIds } from '../../rules/index.ts';
import type { Config } from '../config.ts';
import { AgentSessionsError } from '../errors.ts';
import { activeRules, hasErrors, RuleCrash, runRules } from '../engine/engine.ts';
import { collectCommitFacts } from '../engine/facts-commit.ts';
import { loadHookConfig as loadCachedConfig } from '../engine/hook-config.ts';
import { formatHuman, formatJson, useColor } from '../engine/report.ts';
import { loadTeamLintHere } from '../message/team-commitlint.ts';
import { printableText } from '../printable.ts';

export interface CommitHookInput {
  hook: 'pre-commit' | 'commit-msg';
  /** The message as git will store it (commit-msg only). */
  message?: string;
  top: string;
  config?: Config;
}

function say(hook: string, text: string): void {
  process.stderr.write(`agent-sessions ${hook}: ${printableText(text)}\n`);
}

export async function loadHookConfig(hook: string, top: string, ids: readonly string[] | undefined = ruleIds): Promise<Config | number> {
  try {
    return await loadCachedConfig(top, ids);
  } catch (err) {
    if (err instanceof AgentSessionsError) {
      say(hook, `${err.message}${err.fix ? ` -> fix: ${err.fix}` : ''}`);
      return err.exitCode;
    }
    throw err;
  }
}

export async function runCommitHook(input: CommitHookInput): Promise<number> {
  const { hook, top } = input;
  const config = input.config ?? (await loadHookConfig(hook, top));
  if (typeof config === 'number') return config;
  // The team's commitlint config (if any) is loaded only for a message, and only then.
  let teamLint;
  try {
    const loaded = hook === 'commit-msg' ? await loadTeamLintHere(top) : undefined;
    if (loaded && 'skipped' in loaded) say(hook, `note: ${loaded.skipped}`);
    teamLint = loaded && 'lint' in loaded ? loaded.lint : undefined;
  } catch (err) {
    say(hook, `cannot load the repository's commitlint config: ${(err as Error).message.split('\n')[0]} -> fix: repair it (\`npx commitlint --print-config\` shows what commitlint reads), or skip once with AGENT_SESSIONS=0`);
    return 2;
  }
  const facts = collectCommitFacts({ runPoint: hook, top, config, ...(input.message !== undefined ? { message: input.message } : {}), ...(teamLint ? { teamLint } : {}) });
  let violations;
  try {
    violations = await runRules(activeRules(rules, config, hook), facts);
  } catch (err) {
    if (!(err instanceof RuleCrash)) throw err;
    say(hook, `${err.message} (rerun with AGENT_SESSIONS_DEBUG=1 for details; skip once with AGENT_SESSIONS=0 and report it)`);
    if (process.env.AGENT_SESSIONS_DEBUG === '1' && err.cause instanceof Error) process.stderr.write(`${err.cause.stack}\n`);
    return 1;
  }
  if (process.env.AGENT_SESSIONS_REPORT === 'json') process.stderr.write(formatJson(violations, hook));
  else if (violations.length > 0) process.stderr.write(formatHuman(violations, { source: hook, color: useColor(process.stderr), refusal: 'commit refused' }));
  return hasErrors(violations) ? 1 : 0;
}

/** The top of the work tree a commit hook runs in (git starts hooks there). */
export function hookTop(env: NodeJS.ProcessEnv = process.env): string {
  return env.GIT_WORK_TREE || process.cwd();
}
