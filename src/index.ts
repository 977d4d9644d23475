// The library API: every CLI verb is a function you can call.
export { init } from './commands/init.ts';
export { newSession } from './commands/new.ts';
export { ready, unready } from './commands/ready.ts';
export { status } from './commands/status.ts';
export { installHooksCommand as installHooks } from './commands/install-hooks.ts';
export { loadConfig, validateConfig, defaultConfig, type Config } from './config.ts';
export { assertSlug, isSlug, slugFromInput, slugFromWords, slugProblem, parseSlug } from './slug.ts';
export { parseLockFile, serializeLockFile, type LockEntry } from './lockfile.ts';
export { STATES, TRANSITIONS, findTransition, type SessionState } from './states.ts';
export { AgentSessionsError, UsageError, RefusedError, LostRaceError, GitError, ExitCode } from './errors.ts';
export type { Rule, RuleMeta, Facts, Violation, RunPoint } from './engine/types.ts';
export { rules } from '../rules/index.ts';
