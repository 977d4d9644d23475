// SESSION.md modes: git stores no read-only bit, so after a checkout SESSION.md of active
// and completed sessions is set to 0444 and the others to 0644 (a courtesy to agents; the
// content rules are the real guard). Used by the post-checkout hook, and by claim, which sets
// the modes of the worktree it creates itself instead of starting that hook's Node process.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { safeChmod } from './safe-fs.ts';
import { isSlug } from './slug.ts';
import { LOCKED_STATES, STATES } from './states.ts';

/**
 * Applies the modes; returns how many files changed mode. A SESSION.md (or a folder above
 * it) that is a symlink is left alone: chmod would change the link's target, which may lie
 * outside the repository (the symlink rule refuses such commits at the hub and in check).
 */
export function applySessionModes(top: string, sessionsDir: string): number {
  let changed = 0;
  for (const state of STATES) {
    const want = LOCKED_STATES.includes(state) ? 0o444 : 0o644;
    const dir = join(top, ...sessionsDir.split('/'), state);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (isSlug(name) && setSessionMdMode(top, join(dir, name, 'SESSION.md'), want)) changed++;
    }
  }
  return changed;
}

/** Sets one SESSION.md's mode without following a symlink; false when unchanged, missing or refused. */
export function setSessionMdMode(top: string, file: string, mode: number): boolean {
  try {
    return safeChmod(top, file, mode);
  } catch {
    return false; // a symlink (refused) or a vanished folder: nothing of ours to change
  }
}
