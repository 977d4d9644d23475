// `agent-sessions env <slug>`: prints `export KEY='value'` lines from the session's
// .session-env, for `eval "$(agent-sessions env <slug>)"`. The file is parsed (never
// sourced) and every value re-quoted, so a hostile name cannot run anything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { exportLines, SESSION_ENV_KEYS } from '../hub/identity.ts';
import { clonePath, worktreePath } from '../hub/local.ts';
import { readBlob } from '../hub/tree.ts';
import { parseSessionEnv } from '../sessions.ts';
import { assertSlug } from '../slug.ts';

export interface EnvOptions extends CommonOptions {
  slug: string;
}

export interface EnvResult {
  slug: string;
  /** Where the values were read from. */
  source: string;
  env: Record<string, string>;
  exports: string;
}

export async function env(options: EnvOptions): Promise<EnvResult> {
  const slug = assertSlug(options.slug);
  const ctx = await openRepo(options);
  const rel = `${ctx.layout.rel.session('active', slug)}/.session-env`;
  const places = [ctx.root, worktreePath(ctx, slug), clonePath(ctx, slug)].map((dir) => join(dir, ...rel.split('/')));
  let text: string | undefined;
  let source = '';
  for (const file of places) {
    try {
      text = readFileSync(file, 'utf8');
      source = file;
      break;
    } catch {
      /* try the next place */
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
  return { slug, source, env: envValues, exports: exportLines(envValues) };
}

export const command: Command<EnvOptions, EnvResult> = { run: env, text: (r) => r.exports };
