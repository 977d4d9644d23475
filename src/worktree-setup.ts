// A session worktree ready to work in: on claim and take-over, the git-ignored files named in
// the main checkout's `.worktreeinclude` (Claude Code's convention, gitignore syntax: `.env`,
// `config/local.json`) are copied into the new worktree, then an optional setup command runs
// there (e.g. `npm ci`) with its output streamed to stderr and a progress line. Nothing here
// can undo the claim: a failure becomes a note with the command that fixes it.
//
// Repository data is hostile: only files that git ignores AND the list names are copied, never
// a symlink or a file under one, never outside the two checkouts; and the setup command, which
// is committed config, runs only once the local user trusts that exact command
// (`git config agent-sessions.trustedSetup "<command>"`, or AGENT_SESSIONS_TRUST_SETUP=1).
import { spawn } from 'node:child_process';
import { constants, copyFileSync, existsSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Config } from './config.ts';
import { gitSync, isInsideDir } from './git.ts';

export const INCLUDE_FILE = '.worktreeinclude';
export const TRUST_KEY = 'agent-sessions.trustedSetup';
export const TRUST_ENV = 'AGENT_SESSIONS_TRUST_SETUP';

export interface ReadyOptions {
  /** The main checkout: where `.worktreeinclude` and the ignored files live. */
  mainRoot: string;
  /** The new session worktree (or clone). */
  worktree: string;
  config: Config;
  slug: string;
  /** Progress and the setup command's output; default stderr (stdout may be JSON or MCP). */
  progress?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * True when `rel` (relative to `root`) and every folder above it are plain, not symlinks. A
 * file must exist; a folder may be missing from some level down (it will be created).
 */
function plainPath(root: string, rel: string, leaf: 'file' | 'dir'): boolean {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const path = join(root, ...parts.slice(0, i));
    if (!lstatExists(path)) return leaf === 'dir';
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return false;
    if (i === parts.length) return leaf === 'file' ? stat.isFile() : stat.isDirectory();
  }
  return true;
}

/** The files to copy: untracked, ignored by the repository, matched by `.worktreeinclude`. */
export function includedFiles(mainRoot: string, config: Config): string[] {
  if (!plainPath(mainRoot, INCLUDE_FILE, 'file')) return [];
  // One listing of the untracked files the include list matches, one check of which of them the
  // repository ignores: two git processes whatever the number of files.
  const listed = gitSync(['ls-files', '-z', '--others', '--ignored', `--exclude-from=${join(mainRoot, INCLUDE_FILE)}`], { cwd: mainRoot })
    .split('\0')
    .filter(Boolean);
  const own = [config.paths.worktrees, config.paths.clones].map((p) => `${p.replace(/\/+$/, '')}/`);
  const candidates = listed.filter((rel) => !rel.startsWith('../') && !rel.startsWith('/') && !own.some((p) => rel.startsWith(p)));
  if (!candidates.length) return [];
  const ignored = gitSync(['check-ignore', '-z', '--stdin'], { cwd: mainRoot, input: `${candidates.join('\0')}\0`, okCodes: [1] })
    .split('\0')
    .filter(Boolean);
  const isIgnored = new Set(ignored);
  return candidates.filter((rel) => isIgnored.has(rel) && plainPath(mainRoot, rel, 'file'));
}

/** Copies the included files; never over an existing file, never through a symlink. */
export function copyIncluded(mainRoot: string, worktree: string, files: readonly string[]): { copied: string[]; skipped: string[] } {
  const copied: string[] = [];
  const skipped: string[] = [];
  const realWorktree = realpathSync(worktree);
  for (const rel of files) {
    const dir = dirname(rel);
    const target = join(worktree, ...rel.split('/'));
    // The worktree's tree is repository data: a committed symlink folder must not lead us out.
    if ((dir !== '.' && !plainPath(worktree, dir, 'dir')) || existsSync(target) || lstatExists(target)) {
      skipped.push(rel);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    if (!isInsideDir(realpathSync(dirname(target)), realWorktree)) {
      skipped.push(rel);
      continue;
    }
    copyFileSync(join(mainRoot, ...rel.split('/')), target, constants.COPYFILE_EXCL);
    copied.push(rel);
  }
  return { copied, skipped };
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether the local user trusts the committed setup command, and how to do so if not. */
export function setupTrusted(mainRoot: string, command: string, env: NodeJS.ProcessEnv): boolean {
  if (env[TRUST_ENV] === '1') return true;
  const trusted = gitSync(['config', '--get', TRUST_KEY], { cwd: mainRoot, okCodes: [1] }).replace(/\n$/, '');
  return trusted === command;
}

function runSetup(command: string, cwd: string, out: NodeJS.WritableStream, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => out.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => out.write(chunk));
    child.on('error', () => resolvePromise(127));
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}

/** Readies a new session checkout; returns notes for the claim's result (never throws). */
export async function readyWorktree(options: ReadyOptions): Promise<string[]> {
  const { mainRoot, worktree, config, slug } = options;
  const out = options.progress ?? process.stderr;
  const env = options.env ?? process.env;
  const notes: string[] = [];
  const where = relative(process.cwd(), worktree) || '.';
  try {
    const { copied, skipped } = copyIncluded(mainRoot, worktree, includedFiles(mainRoot, config));
    if (copied.length) notes.push(`copied ${copied.length} git-ignored file(s) named in ${INCLUDE_FILE}: ${copied.join(', ')}`);
    if (skipped.length) notes.push(`not copied (already there, or under a symlink): ${skipped.join(', ')}`);
  } catch (err) {
    notes.push(`${INCLUDE_FILE} files not copied (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); copy them by hand into ${where}`);
  }
  const command = config.worktree.setup;
  if (!command) return notes;
  if (!setupTrusted(mainRoot, command, env)) {
    notes.push(
      `worktree.setup in ${config.source} was not run: it is repository data that runs code. If you trust it, run \`git config ${TRUST_KEY} ${shellQuote(command)}\` once (or set ${TRUST_ENV}=1); now: cd ${shellQuote(where)} && ${command}`,
    );
    return notes;
  }
  const started = Date.now();
  out.write(`agent-sessions: setting up ${where}: ${command}\n`);
  const code = await runSetup(command, worktree, out, { ...env, SESSION_SLUG: slug });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code === 0) {
    out.write(`agent-sessions: setup done in ${seconds}s\n`);
    notes.push(`worktree setup \`${command}\` done in ${seconds}s`);
  } else {
    out.write(`agent-sessions: setup failed (exit ${code}) after ${seconds}s; the claim itself is done\n`);
    notes.push(`worktree setup \`${command}\` failed with exit ${code}; the claim is done. Fix what its output names, then run it again: cd ${shellQuote(where)} && ${command}`);
  }
  return notes;
}

