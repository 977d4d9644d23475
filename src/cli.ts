#!/usr/bin/env node
// The CLI only parses argv and lazy-loads the one command module it needs; every command is
// an async function in src/commands/ that tests call directly.
import { Command as Program, CommanderError, Option } from 'commander';
import type { Command } from './cli/command.ts';
import { printError, printResult } from './cli/output.ts';
import { ExitCode, UsageError } from './errors.ts';
import { packageVersion } from './package-root.ts';
import { noPromptUnlessInteractive } from './remote.ts';

// The build writes the version in (esbuild `define`), so starting the CLI reads no
// package.json; run from source it falls back to reading it.
declare const __AGENT_SESSIONS_VERSION__: string | undefined;
const VERSION = typeof __AGENT_SESSIONS_VERSION__ === 'string' ? __AGENT_SESSIONS_VERSION__ : packageVersion();

type Loader = () => Promise<{ command: Command<never, unknown> } & Record<string, unknown>>;

// Literal import() calls so the bundler can split each command into its own chunk.
const loaders: Record<string, Loader> = {
  init: () => import('./commands/init.ts') as never,
  'install-hooks': () => import('./commands/install-hooks.ts') as never,
  new: () => import('./commands/new.ts') as never,
  ready: () => import('./commands/ready.ts') as never,
  unready: async () => ({ command: (await import('./commands/ready.ts')).unreadyCommand }) as never,
  status: () => import('./commands/status.ts') as never,
  claim: () => import('./commands/claim.ts') as never,
  env: () => import('./commands/env.ts') as never,
  complete: () => import('./commands/complete.ts') as never,
  abandon: () => import('./commands/abandon.ts') as never,
  cancel: () => import('./commands/cancel.ts') as never,
  subsession: () => import('./commands/subsession.ts') as never,
  next: () => import('./commands/next.ts') as never,
  check: async () => {
    const module = await import('./commands/check.ts');
    module.prepareCheckProcess(); // a CLI check process only: see check.ts
    return module as never;
  },
  hook: () => import('./commands/hook.ts') as never,
  'install-server-hook': () => import('./commands/install-server-hook.ts') as never,
  rules: () => import('./commands/rules.ts') as never,
  mcp: () => import('./commands/mcp.ts') as never,
  guard: () => import('./commands/guard.ts') as never,
  board: () => import('./commands/board.ts') as never,
  drift: () => import('./commands/drift.ts') as never,
  doctor: () => import('./commands/doctor.ts') as never,
};

let exitCode: number = ExitCode.ok;
let currentVerb = '';
let jsonMode = process.argv.includes('--json');

async function runVerb(verb: string, options: Record<string, unknown>): Promise<void> {
  currentVerb = verb;
  jsonMode = Boolean(options.json);
  const mode = { json: jsonMode, verb };
  try {
    const mod = await loaders[verb]!();
    const { json: _json, ...rest } = options;
    const result = await mod.command.run(rest as never);
    exitCode = printResult(mod.command, result, mode);
  } catch (err) {
    exitCode = printError(err, mode);
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const program = new Program('agent-sessions')
  .description('Many coding agents, one git repository: sessions claimed by push, enforced by hooks, CI and the hub.')
  .version(VERSION, '-v, --version')
  .option('-C, --cwd <dir>', 'act in this directory instead of the current one')
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ outputError: () => {} });

function verb(name: string, description: string): Program {
  return program.command(name).description(description).option('--json', 'print one JSON document on stdout');
}

const act =
  (name: string, map: (args: unknown[], opts: Record<string, unknown>) => Record<string, unknown> = (_a, o) => o) =>
  async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Program;
    const opts = { ...cmd.opts(), ...(program.opts().cwd ? { cwd: program.opts().cwd } : {}) };
    await runVerb(name, map(args.slice(0, -2), opts));
  };
const withSlug = (name: string) => act(name, ([slug], o) => ({ ...o, slug }));

verb('init', 'lay out _AGENTS/sessions, write the config and install the hooks (never commits)')
  .option('--no-hooks', 'do not install the git hooks')
  .addOption(new Option('--ci <provider>', 'also write a CI workflow').choices(['github', 'gitlab']))
  .option('--agents <list>', 'also wire agent guards and AGENTS.md: claude,codex,gemini,cursor,copilot,cline,windsurf,opencode or all')
  .option('--hub-mode <mode>', 'where transitions go: direct (push to main), integration (an unprotected branch), refs (claim refs + pull requests)')
  .option('--integration-branch <name>', 'the branch of --hub-mode integration (default: agents)')
  .action(act('init'));
verb('install-hooks', 'install or repair the git hooks (husky shims, worktree-wide hooksPath)').action(act('install-hooks'));
verb('new', 'draft a session in drafting/ from plain words or a slug, and commit it')
  .argument('<words...>', 'plain words (today\'s date is put in front) or a slug YYYY-MM-DD-words')
  .option('--title <text>', 'the title (default: the words)')
  .option('--context <text>', 'why this work, what exists today')
  .option('--problem <text>', 'the problem statement')
  .option('--criteria <text>', 'an acceptance criterion (repeatable)', collect)
  .option('--subsession <text>', 'a subsession step (repeatable)', collect)
  .option('--risks <text>', 'risks and mitigations')
  .option('--dependencies <text>', 'what this depends on')
  .option('--edge-cases <text>', 'edge cases to survive')
  .option('--notes <text>', 'anything else')
  .option('--from <file>', 'read the fields from a .json or .yaml spec')
  .option('--no-commit', 'write the files but do not commit')
  .option('--push', "push the commit to the hub's main (rebuilt on it if main moved)")
  .action(
    act('new', ([words], o) => {
      const { subsession, ...rest } = o;
      return { ...rest, input: (words as string[]).join(' '), ...(subsession ? { subsessions: subsession } : {}) };
    }),
  );
verb('ready', 'move a session drafting -> planned (needs acceptance criteria) and commit')
  .argument('<slug>')
  .option('--push', "push the commit to the hub's main (rebuilt on it if main moved)")
  .action(withSlug('ready'));
verb('unready', 'move a session planned -> drafting and commit')
  .argument('<slug>')
  .option('--push', "push the commit to the hub's main (rebuilt on it if main moved)")
  .action(withSlug('unready'));
verb('status', 'list every session with its state, age and holder')
  .alias('list')
  .option('--state <state>', 'only sessions in this state')
  .option('--local', "read this checkout instead of the hub's branch")
  .action(act('status'));
verb('claim', 'claim a planned session: one commit on main, pushed; the push is the lock')
  .argument('<slug>')
  .option('--agent-name <name>', 'identity for the session (default: $AGENT_NAME, else git config)')
  .option('--agent-email <email>', 'identity for the session (default: $AGENT_EMAIL, else git config)')
  .option('--clone', 'work in a clone under .sessions/ instead of a worktree')
  .option('--take-over', 'take over a stale active session (needs --reason)')
  .option('--reason <text>', 'why (for --take-over)')
  .action(withSlug('claim'));
verb('env', 'print the exports that activate a session: eval "$(agent-sessions env <slug>)"')
  .argument('<slug>')
  .addOption(new Option('--shell <shell>', 'print for this shell').choices(['sh', 'bash', 'zsh', 'fish']))
  .action(withSlug('env'));
verb('complete', 'squash-merge an active session into main, archive it with its patch, push')
  .argument('<slug>')
  .option('--message <text>', 'the squash commit description')
  .option('--notes <text>', 'final notes appended to SESSION.md')
  .option('--type <type>', 'the completion commit type (default: the most significant type of the session\'s commits)')
  .option('--take-over', 'complete a session this checkout does not hold (needs --reason; recorded in the commit)')
  .option('--reason <text>', 'why (with --take-over)')
  .action(withSlug('complete'));
verb('abandon', 'move an active session to abandoned/ with a reason, push')
  .argument('<slug>')
  .requiredOption('--reason <text>', 'why the session is abandoned')
  .option('--take-over', 'abandon a session this checkout does not hold (recorded in the commit)')
  .action(withSlug('abandon'));
verb('cancel', 'move a drafting or planned session to abandoned/, push')
  .argument('<slug>')
  .option('--reason <text>', 'why')
  .option('--push', 'accepted for symmetry with new/ready: cancel always pushes')
  .action(withSlug('cancel'));
verb('subsession', "draft a new session on the hub for scope found in an active one, linked from its subsessions.md")
  .argument('<slug>', 'the active session the scope was found in')
  .argument('<words...>', 'what the new session is about (or its slug)')
  .option('--criteria <text>', 'an acceptance criterion (repeatable)', collect)
  .action(act('subsession', ([slug, words], o) => ({ ...o, slug, words: (words as string[]).join(' ') })));
verb('next', 'show (or with --claim, claim) the oldest planned session that fits')
  .option('--match <glob>', 'only slugs matching this glob')
  .option('--claim', 'claim it; on a lost race move on to the next candidate')
  .option('--agent-name <name>', 'identity (with --claim)')
  .option('--agent-email <email>', 'identity (with --claim)')
  .option('--clone', 'work in a clone (with --claim)')
  .action(act('next'));
verb('check', 'validate the tree and every commit of a range against the protocol (for CI)')
  .option('--range <a..b>', 'the commits to check')
  .option('--all', 'check the whole history')
  .option('--claims', "refs hub mode, for a pull request: each claim must be the one the hub's claim ref holds")
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']))
  .action(act('check'));
verb('hook', 'run a hook handler by name (used by the shims and the hub)')
  .argument('<name>')
  .argument('[args...]')
  .allowUnknownOption(true)
  .action(act('hook', ([name, args], o) => ({ ...o, name, args })));
verb('install-server-hook', 'install the pre-receive hook into a bare hub repository and pin its policy (re-run to apply a policy change)')
  .argument('<bare-repo>')
  .addOption(new Option('--layout <server>', 'where the server runs hooks from: plain, gitlab (custom_hooks/pre-receive.d), gitea (hooks/pre-receive.d; Forgejo too), gitolite (repo-specific hooks)').choices(['plain', 'gitlab', 'gitea', 'gitolite']).default('plain'))
  .option('--hooks-dir <dir>', 'write the hook into this folder instead (gitolite: LOCAL_CODE/hooks/repo-specific)')
  .option('--branch <name>', "read the policy from this branch (default: the hub's HEAD, then the branch its config guards)")
  .option('--pin-only', 'only pin the policy, leave the hooks alone (for a hand-written hook that runs `agent-sessions hook pre-receive`)')
  .action(act('install-server-hook', ([repo], o) => ({ ...o, repo })));
verb('rules', 'list the rules, where each runs and its severity').action(act('rules'));
verb('mcp', 'serve the CLI verbs as Model Context Protocol tools over stdio').action(act('mcp'));
verb('guard', 'agent pre-tool-use guard: read the tool call on stdin, block protocol breaches')
  .option('--agent <name>', 'which agent hook protocol to speak: claude, codex, gemini, cursor, copilot, cline, windsurf, opencode (default: detected from the payload)')
  .action(act('guard'));
verb('board', 'write _AGENTS/sessions/BOARD.md (tables per state and a mermaid chart)')
  .option('--check', 'exit 1 when the committed board is out of date')
  .option('--local', "read this checkout and HEAD's history instead of the hub's branch")
  .action(act('board'));
verb('drift', 'compare a session\'s frozen SESSION.md with what really happened').argument('<slug>').action(withSlug('drift'));
verb('doctor', 'check hooks, husky, versions, config, identity and the hub, with fixes').action(act('doctor'));

async function main(): Promise<void> {
  noPromptUnlessInteractive();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
        exitCode = 0;
      } else {
        const message = err.message.replace(/^error:\s*/, '');
        exitCode = printError(new UsageError('usage', message, { fix: 'run `agent-sessions --help` (or `agent-sessions <verb> --help`)' }), {
          json: jsonMode,
          verb: currentVerb || process.argv[2] || '',
        });
      }
    } else {
      exitCode = printError(err, { json: jsonMode, verb: currentVerb });
    }
  }
  process.exitCode = exitCode;
}

await main();
