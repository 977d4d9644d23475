// The hook runner: `node dist/hook.cjs <hook> [git's arguments]`, bundled into one file.
// Each hook: collect facts -> run the rules -> report -> exit code. Until a hook has
// handlers it passes; it never prints a stack trace (unless AGENT_SESSIONS_DEBUG=1).
import { handlers } from './handlers.ts';
import { redactCredentials } from '../remote.ts';
import { dropEarlyGit, earlyGitStats } from '../early-git.ts';
import { AgentSessionsError } from '../errors.ts';

// Date.now, not performance.now: the global `performance` loads perf_hooks (~1 ms) on first use.
const started = Date.now();
const [hook = '', ...args] = process.argv.slice(2);
const debug = process.env.AGENT_SESSIONS_DEBUG === '1';

async function main(): Promise<number> {
  // pre-push's second argument is the remote's URL, which may hold a password or token.
  if (debug) process.stderr.write(`agent-sessions[debug]: ${hook} hook runner started (args: ${redactCredentials(JSON.stringify(args))})\n`);
  // The hub's first push: git starts reading the pushed history before the rules load.
  // (Imported here, so that the client hooks do not even initialise it.)
  if (hook === 'pre-receive') (await import('./pre-receive-early.ts')).startPreReceiveEarly();
  const load = handlers[hook];
  if (!load) {
    process.stderr.write(`agent-sessions: unknown hook ${JSON.stringify(hook)}; known: ${Object.keys(handlers).join(', ')}\n`);
    return 2;
  }
  return (await load()).run(args);
}

main()
  .then((code) => {
    if (debug && earlyGitStats.started > 0) process.stderr.write(`agent-sessions[debug]: git started early ${JSON.stringify(earlyGitStats)}\n`);
    if (debug) process.stderr.write(`agent-sessions[debug]: ${hook} finished with exit ${code} in ${Date.now() - started} ms\n`);
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    // A refusal the hook's work raised (the history cannot be judged): what and the fix.
    if (err instanceof AgentSessionsError) {
      process.stderr.write(`agent-sessions ${hook}: ${redactCredentials(err.message)}\n${err.fix ? `  fix: ${redactCredentials(err.fix)}\n` : ''}`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`agent-sessions ${hook}: internal error: ${redactCredentials(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err))}\n`);
    if (debug && err instanceof Error) process.stderr.write(`${redactCredentials(err.stack ?? '')}\n`);
    process.exitCode = 1;
  })
  .finally(dropEarlyGit);
