// Questions about sessions on a commit that is not checked out (the hub's main as fetched).
import { LostRaceError, RefusedError, UsageError } from '../errors.ts';
import type { Git } from '../git.ts';
import type { Layout } from '../layout.ts';
import { parseLockFile, type LockEntry } from '../lockfile.ts';
import { parseSessionEnv } from '../sessions.ts';
import { formatUtc, type Staleness } from '../stale.ts';
import { STATES, type SessionState } from '../states.ts';
import { lsTree, readBlob } from './tree.ts';

/** The state folder(s) that hold `slug` on `commit`. One git call. */
export async function statesOn(git: Git, commit: string, layout: Layout, slug: string): Promise<SessionState[]> {
  const dirs = STATES.map((state) => layout.rel.session(state, slug));
  const entries = await lsTree(git, commit, dirs, false);
  return STATES.filter((state) => entries.some((e) => e.path === layout.rel.session(state, slug) && e.type === 'tree'));
}

export async function stateOn(git: Git, commit: string, layout: Layout, slug: string): Promise<SessionState | undefined> {
  const states = await statesOn(git, commit, layout, slug);
  if (states.length > 1) {
    throw new RefusedError('session-in-two-states', `session ${slug} is in ${states.join(' and ')} at once on the hub's main`, {
      fix: 'repair main first (`agent-sessions check` names the commit); keep one folder',
    });
  }
  return states[0];
}

export async function lockOn(git: Git, commit: string, layout: Layout): Promise<LockEntry[]> {
  const text = await readBlob(git, commit, layout.rel.lockFile);
  return text === undefined ? [] : parseLockFile(text, layout.rel.lockFile);
}

export interface Holder {
  name?: string;
  email?: string;
}

/** Who holds (or held) `slug` in `state`, from its .session-env. */
export async function holderOn(git: Git, commit: string, layout: Layout, state: SessionState, slug: string): Promise<Holder | undefined> {
  const text = await readBlob(git, commit, `${layout.rel.session(state, slug)}/.session-env`);
  if (text === undefined) return undefined;
  const values = parseSessionEnv(text);
  return { name: values.GIT_AUTHOR_NAME, email: values.GIT_AUTHOR_EMAIL };
}

export function describeHolder(holder: Holder | undefined): string {
  if (!holder || (!holder.name && !holder.email)) return 'another agent';
  return `${holder.name ?? '?'} <${holder.email ?? '?'}>`;
}

/** The error for "the session is not in the state this command needs" on the hub. */
export async function wrongStateOnHub(
  git: Git,
  commit: string,
  layout: Layout,
  slug: string,
  state: SessionState | undefined,
  needed: readonly SessionState[],
  verb: string,
): Promise<Error> {
  if (state === undefined) {
    return new UsageError('no-such-session', `no session named ${slug} on the hub's main`, {
      fix: 'run `git fetch` and `agent-sessions status`; a session drafted locally must be pushed before it can be used',
    });
  }
  if (state === 'drafting' && needed.includes('planned')) {
    return new RefusedError('not-planned', `session ${slug} is still drafting on the hub's main`, {
      fix: `the planner must run \`agent-sessions ready ${slug}\` and push it first`,
      data: { slug, state },
    });
  }
  const holder = state === 'active' || state === 'completed' ? await holderOn(git, commit, layout, state, slug) : undefined;
  const who = holder ? ` by ${describeHolder(holder)}` : '';
  return new LostRaceError('lost-race', `session ${slug} is ${state}${who} on the hub's main; cannot ${verb} it`, {
    fix: state === 'active' ? 'pick another session: `agent-sessions next --claim`' : 'run `agent-sessions status` to see what is left',
    data: { slug, state, ...(holder ? { holder } : {}) },
  });
}

/** A take-over refused because the session is still live: when it becomes stale, and what to do meanwhile. */
export function notStaleError(slug: string, branch: string, claimedAt: number, staleness: Staleness, previous: Holder | undefined): RefusedError {
  return new RefusedError('not-stale', `${slug} is not stale: claimed ${formatUtc(claimedAt)} by ${describeHolder(previous)}, last activity ${formatUtc(staleness.lastActivity)}`, {
    fix: `it becomes stale at ${formatUtc(staleness.staleAt)} if nothing new reaches ${branch} on the hub; until then ask its holder, or take another session (agent-sessions next --claim)`,
    data: { slug, staleAt: staleness.staleAt, lastActivity: staleness.lastActivity, claimedAt },
  });
}
