// The one line that activates a session's identity in a shell. It must work where the
// package is a devDependency (no bin on PATH): it names the CLI by absolute path when the
// repository has it installed, else `npx --no-install agent-sessions` (which fails loudly
// instead of fetching whatever the registry holds under that name). Values are quoted for
// each shell; `env --shell fish` prints `set -gx` lines for fish.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { shellQuote } from './sessions.ts';

export const SHELLS = ['sh', 'bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function isShell(value: string): value is Shell {
  return (SHELLS as readonly string[]).includes(value);
}

/** fish's single quotes: only `\\` and `\'` are escapes inside them. */
export function fishQuote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * How to call the CLI from anywhere in the repository, without PATH: the nearest
 * node_modules/.bin/agent-sessions from `from` up to `root` (absolute), else the running
 * CLI when it lives in a project's node_modules, else npx without install.
 */
export function cliInvocation(root: string, from: string = root, running: string | undefined = process.argv[1]): CliPath {
  let dir = from;
  for (;;) {
    const bin = join(dir, 'node_modules', '.bin', 'agent-sessions');
    if (existsSync(bin)) return { path: bin };
    if (dir === root || dirname(dir) === dir || !dir.startsWith(root)) break;
    dir = dirname(dir);
  }
  if (running && isAbsolute(running) && /[\\/]node_modules[\\/]agent-sessions[\\/]dist[\\/]cli\.js$/.test(realpathOr(running)) && !/[\\/]_npx[\\/]/.test(running)) {
    return { path: realpathOr(running) };
  }
  return {};
}

/** The CLI's absolute path, or none (then `npx --no-install agent-sessions`). */
export interface CliPath {
  path?: string;
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** The line to paste: sh, bash and zsh share one form; fish pipes into `source`. */
export function activationLine(cli: CliPath, slug: string, shell: Shell = 'sh'): string {
  if (shell === 'fish') return `${cli.path ? fishQuote(cli.path) : NPX} env ${slug} --shell fish | source`;
  return `eval "$(${cli.path ? shellQuote(cli.path) : NPX} env ${slug})"`;
}

const NPX = 'npx --no-install agent-sessions';

/** Lines that set `values` in `shell`. */
export function exportsFor(values: Record<string, string>, keys: readonly string[], shell: Shell = 'sh'): string {
  return keys
    .filter((k) => values[k] !== undefined)
    .map((k) => (shell === 'fish' ? `set -gx ${k} ${fishQuote(values[k]!)};` : `export ${k}=${shellQuote(values[k]!)}`))
    .join('\n');
}
