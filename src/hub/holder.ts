// The holder of an active session, recognised by a claim token (a fencing token), not by a
// git identity that anyone can type. `claim` draws 32 random bytes, keeps them in the
// claiming checkout's common git dir (`.git/agent-sessions/tokens/<slug>`, shared by its
// linked worktrees, copied into a session clone) and records only their SHA-256 on the hub,
// as one comment line of the claim commit's `.session-env`. A take-over writes a new line:
// the old holder's token stops matching. complete and abandon compare the two.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RefusedError } from '../errors.ts';
import { commonDirOf, gitDirOf, type Git } from '../git.ts';
import type { Layout } from '../layout.ts';
import { parseSessionEnv } from '../sessions.ts';
import { describeHolder } from './state.ts';
import { readBlob } from './tree.ts';

/** The line of `.session-env` that records the token's hash (a comment: sourcing ignores it). */
export const HOLDER_PREFIX = '# agent-sessions-holder: sha256:';
const HOLDER_LINE = /^# agent-sessions-holder: sha256:([0-9a-f]{64})[ \t]*\r?$/;

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token.trim()).digest('hex');
}

/**
 * `.session-env` text with the holder line appended as its LAST line. Nothing else is touched:
 * a line that merely looks like one (inside a quoted value, from a template override) stays
 * as it is and does not count, since only the last line does.
 */
export function withHolderLine(envText: string, hash: string): string {
  return `${envText}${envText.endsWith('\n') || envText === '' ? '' : '\n'}${HOLDER_PREFIX}${hash}\n`;
}

/** The hash the file's last non-empty line records, if that line is a holder line. */
export function holderHashOf(envText: string): string | undefined {
  const lines = envText.split('\n').filter((line) => line.trim() !== '');
  return HOLDER_LINE.exec(lines[lines.length - 1] ?? '')?.[1];
}

/** The folder that keeps this repository's claim tokens (one per slug). */
export function tokenDir(root: string): string {
  return join(commonDirOf(gitDirOf(root, {})), 'agent-sessions', 'tokens');
}

export function tokenFile(root: string, slug: string): string {
  return join(tokenDir(root), slug);
}

export function saveToken(root: string, slug: string, token: string): void {
  mkdirSync(tokenDir(root), { recursive: true, mode: 0o700 });
  writeFileSync(tokenFile(root, slug), `${token}\n`, { mode: 0o600 });
}

/**
 * This checkout's token for `slug`: the one it already keeps, else a new one created
 * exclusively. Two claims racing from the same checkout (or its worktrees) share one token,
 * so whichever wins, the file matches the hub; a token is never rewritten under a winner.
 */
export function ensureToken(root: string, slug: string): string {
  const kept = readToken(root, slug);
  if (kept) return kept;
  mkdirSync(tokenDir(root), { recursive: true, mode: 0o700 });
  const token = newToken();
  try {
    writeFileSync(tokenFile(root, slug), `${token}\n`, { mode: 0o600, flag: 'wx' });
    return token;
  } catch {
    return readToken(root, slug) ?? (saveToken(root, slug, token), token);
  }
}

export function readToken(root: string, slug: string): string | undefined {
  try {
    const text = readFileSync(tokenFile(root, slug), 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

export function dropToken(root: string, slug: string): void {
  rmSync(tokenFile(root, slug), { force: true });
}

export interface HolderVerdict {
  /** How this checkout was recognised: by its token, or (a session claimed before tokens) by identity. */
  by: 'token' | 'identity' | 'take-over';
  holder: { name?: string; email?: string };
}

export interface HolderIntent {
  /** The explicit take-over intent (`--take-over --reason`), recorded in the commit. */
  takeOver?: boolean;
  reason?: string;
  /** The identity of whoever runs the command, for sessions claimed before tokens existed. */
  email?: string;
}

/**
 * Refuses (exit 1) unless this checkout holds `slug` on `main`: its token hashes to the line
 * in `.session-env`, or explicit take-over intent is given. A session claimed by an older
 * version (no holder line) falls back to the identity in `.session-env`.
 */
export async function assertHolder(git: Git, root: string, layout: Layout, main: string, slug: string, verb: string, intent: HolderIntent = {}): Promise<HolderVerdict> {
  const text = (await readBlob(git, main, `${layout.rel.session('active', slug)}/.session-env`)) ?? '';
  const values = parseSessionEnv(text);
  const holder = { ...(values.GIT_AUTHOR_NAME ? { name: values.GIT_AUTHOR_NAME } : {}), ...(values.GIT_AUTHOR_EMAIL ? { email: values.GIT_AUTHOR_EMAIL } : {}) };
  const hash = holderHashOf(text);
  const token = readToken(root, slug);
  if (hash && token && tokenHash(token) === hash) return { by: 'token', holder };
  if (!hash && intent.email && intent.email === holder.email) return { by: 'identity', holder };
  if (intent.takeOver) return { by: 'take-over', holder };
  const why = hash
    ? token
      ? 'the claim token in this repository is not the one on the hub (the session was taken over since)'
      : 'this repository holds no claim token for it (it was claimed from another checkout)'
    : `it was claimed before claim tokens and you are not ${describeHolder(holder)}`;
  throw new RefusedError('not-holder', `you do not hold ${slug}: its holder is ${describeHolder(holder)}, and ${why}`, {
    fix: `let the holder run \`agent-sessions ${verb} ${slug}\` from the checkout that claimed it; to ${verb} it anyway, say so (it is recorded in the commit): agent-sessions ${verb} ${slug} --take-over --reason "<why>"`,
    data: { slug, holder },
  });
}
