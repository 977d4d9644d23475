// SESSION.md modes: git stores no read-only bit, so after a checkout SESSION.md of active
// and completed sessions is set to 0444 and the others to 0644 (a courtesy to agents; the
// content rules are the real guard). Used by the post-checkout hook, and by claim, which sets
// the modes of the worktree it creates itself instead of starting that hook's Node process.
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isSlug } from './slug.ts';
import { LOCKED_STATES, STATES } from './states.ts';

/** Applies the modes; returns how many files changed mode. */
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
      if (!isSlug(name)) continue;
      const file = join(dir, name, 'SESSION.md');
      try {
        // lstat: a SESSION.md that is a symlink (repository content) must not make us chmod
        // whatever it points at.
        const stat = lstatSync(file);
        if (!stat.isFile()) continue;
        const mode = stat.mode & 0o777;
        // Keep any execute bits out of it; only the write bits are ours to decide.
        if (mode !== want) {
          chmodSync(file, want);
          changed++;
        }
      } catch {
        /* no SESSION.md in this folder */
      }
    }
  }
  return changed;
}

