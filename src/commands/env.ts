// `agent-sessions env <slug> [--shell sh|bash|zsh|fish]`: prints `export KEY='value'` lines
// (fish: `set -gx KEY 'value';`) from the session's .session-env, for
// `eval "$(<cli> env <slug>)"`. The file is parsed (never sourced) and every value re-quoted,
// so a hostile name cannot run anything. `activate` (JSON) is the line to paste, naming the
// CLI by a path that needs no PATH (src/activation.ts).
import { join } from 'node:path';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { activationLine, cliInvocation, exportsFor, isShell, SHELLS, type Shell } from '../activation.ts';
import { SESSION_ENV_KEYS } from '../hub/identity.ts';
import { clonePath, mainRootOf, worktreePath } from '../hub/local.ts';
import { readBlob } from '../hub/tree.ts';
import { readRepoText } from '../safe-fs.ts';
import { parseSessionEnv } from '../sessions.ts';
import { assertSlug } from '../slug.ts';

export interface EnvOptions extends CommonOptions {
  slug: string;
  /** sh (default), bash, zsh or fish. */
  shell?: string;
}

export interface EnvResult {
  slug: string;
  /** Where the values were read from. */
  source: string;
  env: Record<string, string>;
  exports: string;
  shell: Shell;
  /** The line that activates the session in this shell, with the CLI named without PATH. */
  activate: string;
}

export async function env(options: EnvOptions): Promise<EnvResult> {
  const slug = assertSlug(options.slug);
  const shell = options.shell ?? 'sh';
  if (!isShell(shell)) throw new UsageError('bad-shell', `unknown shell ${JSON.stringify(shell)}`, { fix: `use --shell ${SHELLS.join('|')}` });
  const ctx = await openRepo(options);
  const rel = `${ctx.layout.rel.session('active', slug)}/.session-env`;
  let text: string | undefined;
  let source = '';
  for (const dir of [ctx.root, worktreePath(ctx, slug), clonePath(ctx, slug)]) {
    const file = join(dir, ...rel.split('/'));
    // a checkout's .session-env is repository data: a link, FIFO or device is refused, not skipped
    text = readRepoText(dir, file);
    if (text !== undefined) {
      source = file;
      break;
    }
  }
  if (text === undefined) {
    const ref = `${ctx.config.git.remote}/${ctx.config.git.mainBranch}`;
    text = await readBlob(ctx.git, ref, rel).catch(() => undefined);
    source = `${ref}:${rel}`;
  }
  if (text === undefined) {
    throw new UsageError('not-active', `session ${slug} has no .session-env: it is not active here`, {
      fix: `claim it first (\`agent-sessions claim ${slug}\`), or run \`git fetch\` if another agent claimed it`,
    });
  }
  const values = parseSessionEnv(text);
  const envValues = Object.fromEntries(SESSION_ENV_KEYS.filter((k) => values[k] !== undefined).map((k) => [k, values[k]!]));
  const activate = activationLine(cliInvocation(mainRootOf(ctx), options.cwd ?? process.cwd()), slug, shell);
  return { slug, source, env: envValues, exports: exportsFor(envValues, SESSION_ENV_KEYS, shell), shell, activate };
}

export const command: Command<EnvOptions, EnvResult> = { run: env, text: (r) => r.exports };
