// The first thing the hub's pre-receive does, before the rules and the walk are loaded: read
// the pushed refs (stdin) and, for a first push of the guarded branch (its old id is zero),
// start the git processes the walk will ask for first (src/early-git.ts): the path-limited
// adoption search (`rev-list --first-parent`, walk-plan.ts) and the walk's `cat-file --batch`.
// git then reads 10,000 commits on the other core while Node initialises the rest, instead
// of after it. Only node:fs and the policy file are touched here: the pinned policy is read
// raw (the hook validates it again, fully, right after); a guess that is off (an unusual
// config) only means the walk starts its own processes, as it always did.
import { fstatSync, readFileSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startGitEarly } from '../early-git.ts';
import { layoutPathsOf } from '../early-layout.ts';
import { historyLogArgs } from '../engine/log-args.ts';

let earlyInput: { bytes: Buffer; complete: boolean } | undefined;

/**
 * stdin read synchronously when it is a pipe, a socket or a file (git gives a hook a pipe and
 * closes it after the last ref line; a terminal is left alone). `complete: false` when the
 * read had to stop early (a non-blocking pipe): the rest is read the usual way, after these
 * bytes (kept as bytes: the cut may fall inside a character).
 */
function readStdinNow(): { bytes: Buffer; complete: boolean } {
  const none = { bytes: Buffer.alloc(0), complete: false };
  try {
    const stat = fstatSync(0);
    if (!stat.isFIFO() && !stat.isFile() && !stat.isSocket()) return none;
  } catch {
    return none;
  }
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let read: number;
    try {
      read = readSync(0, buffer, 0, buffer.length, null);
    } catch {
      return { bytes: Buffer.concat(chunks), complete: false };
    }
    if (read === 0) return { bytes: Buffer.concat(chunks), complete: true };
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
}

/** The guarded branch and the layout paths of the pinned policy, or undefined (then nothing starts early). */
function pinnedLayout(cwd: string): { branch: string; sessionsDir: string; lockPath: string } | undefined {
  let record: { branch?: unknown; config?: { paths?: { sessions?: unknown; lockFile?: unknown } } | null };
  try {
    // src/policy/pinned.ts (pinnedPolicyPath, hubGitDir): <git dir>/agent-sessions/policy.json
    record = JSON.parse(readFileSync(join(resolve(cwd, process.env.GIT_DIR ?? '.'), 'agent-sessions', 'policy.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof record?.branch !== 'string') return undefined;
  const layout = layoutPathsOf(record.config?.paths ?? undefined);
  return layout && { branch: record.branch, ...layout };
}

/** Reads the pushed refs and starts the first push's git processes. Never throws. */
export function startPreReceiveEarly(): void {
  // pre-receive.ts sets the same before its first git; the processes started here must see it too.
  process.env.GIT_NO_REPLACE_OBJECTS = '1';
  earlyInput = readStdinNow();
  try {
    const cwd = process.cwd();
    const layout = pinnedLayout(cwd);
    if (!layout) return;
    const mainRef = `refs/heads/${layout.branch}`;
    // Whole lines only: a read cut short may end inside one.
    const { complete } = earlyInput;
    const text = earlyInput.bytes.toString('utf8');
    const lines = (complete ? text : text.slice(0, text.lastIndexOf('\n') + 1)).split('\n');
    const line = lines.find((l) => l.trim().split(' ')[2] === mainRef);
    const [oldId, newId] = line?.trim().split(' ') ?? [];
    if (!oldId || !newId || !/^0+$/.test(oldId) || !/^[0-9a-f]{40,64}$/.test(newId) || /^0+$/.test(newId)) return;
    // The exact calls of walk-plan.ts's findAdoption and of facts-history.ts's first git log
    // (eagerRecords: streamingEnv; the log reads its commits from stdin, written when the walk
    // takes it), and of the walk's blob reader (cat-file.ts: the caller's environment).
    // test/pre-receive-early.test.ts fails when one of them no longer matches.
    const streaming = { ...process.env, GIT_FLUSH: '0' };
    startGitEarly(['rev-list', '--first-parent', '--format=%H %P', newId, '--', layout.sessionsDir, layout.lockPath], { cwd, env: streaming, read: true });
    startGitEarly(['cat-file', '--batch'], { cwd, env: process.env });
    startGitEarly(historyLogArgs(), { cwd, env: streaming });
  } catch {
    /* nothing started early: the hook starts its own processes */
  }
}

/** The stdin read by startPreReceiveEarly (taken once), or undefined when it did not run. */
export function takeEarlyInput(): { bytes: Buffer; complete: boolean } | undefined {
  const input = earlyInput;
  earlyInput = undefined;
  return input;
}
