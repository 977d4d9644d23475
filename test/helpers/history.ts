// Builds protocol histories by hand with `--no-verify` commits (no CLI verbs, no hooks), so
// the history checks (check, pre-push, pre-receive) can be shown both good and bad commits.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitTry, type Repo } from './repo.ts';

export const S = '_AGENTS/sessions';
export const LOCK = `${S}/sessions.lock`;

export interface Who {
  name: string;
  email: string;
}

export const planner: Who = { name: 'Test Planner', email: 'planner@example.test' };

/** Commits what is staged (and `paths`), hooks skipped, as `who`; returns the new sha. */
export function commitAs(repo: Repo, who: Who, message: string, paths: string[] = []): string {
  if (paths.length) repo.git('add', '-A', '--', ...paths);
  const env = { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
  const result = gitTry(repo.dir, ['commit', '-q', '--no-verify', '--allow-empty', '-m', message], env);
  if (result.status !== 0) throw new Error(`commit failed: ${result.stderr}`);
  return repo.git('rev-parse', 'HEAD').trim();
}

export function sessionMd(slug: string): string {
  return `---\nslug: ${slug}\ncreated: 2025-01-01\n---\n# ${slug}\n\n## Acceptance criteria\n- it works\n`;
}

function lockLines(repo: Repo): string[] {
  return repo.exists(LOCK) ? repo.read(LOCK).split('\n').filter(Boolean) : [];
}

export function draft(repo: Repo, slug: string): string {
  repo.write(`${S}/drafting/${slug}/SESSION.md`, sessionMd(slug));
  return commitAs(repo, planner, `[${slug}] docs: draft session`, [`${S}/drafting/${slug}`]);
}

export function ready(repo: Repo, slug: string): string {
  repo.git('mv', `${S}/drafting/${slug}`, `${S}/planned/${slug}`);
  return commitAs(repo, planner, `[${slug}] docs: ready session`);
}

export function envFile(slug: string, who: Who): string {
  return [
    `export SESSION_SLUG='${slug}'`,
    `export GIT_AUTHOR_NAME='${who.name}'`,
    `export GIT_AUTHOR_EMAIL='${who.email}'`,
    `export GIT_COMMITTER_NAME='${who.name}'`,
    `export GIT_COMMITTER_EMAIL='${who.email}'`,
    '',
  ].join('\n');
}

export function claim(repo: Repo, slug: string, who: Who): string {
  repo.git('mv', `${S}/planned/${slug}`, `${S}/active/${slug}`);
  repo.write(`${S}/active/${slug}/.session-env`, envFile(slug, who));
  repo.write(`${S}/active/${slug}/worklog.md`, '# worklog\n');
  repo.write(LOCK, [...lockLines(repo), `${slug}:1735689600`].map((l) => `${l}\n`).join(''));
  return commitAs(repo, who, `[${slug}] chore: claim session`, [`${S}/active/${slug}`, LOCK]);
}

export function work(repo: Repo, slug: string, who: Who, file = `src/${slug}.txt`): string {
  repo.write(file, `${Date.now()} ${Math.random()}\n`);
  return commitAs(repo, who, `[${slug}] feat: work on ${slug}`, [file]);
}

export function complete(repo: Repo, slug: string, who: Who): string {
  repo.git('mv', `${S}/active/${slug}`, `${S}/completed/${slug}`);
  repo.write(`${S}/completed/${slug}/${slug}.patch`, 'diff --git a/x b/x\n');
  repo.write(LOCK, lockLines(repo).filter((l) => !l.startsWith(`${slug}:`)).map((l) => `${l}\n`).join(''));
  return commitAs(repo, who, `[${slug}] feat: complete ${slug}`, [`${S}/completed/${slug}`, LOCK]);
}

export const alice: Who = { name: 'Agent Alice', email: 'alice@example.test' };
export const mallory: Who = { name: 'Mallory', email: 'mallory@example.test' };

export const DONE = '2025-01-02-finished-work';
export const ACTIVE = '2025-01-03-ongoing-work';
export const PLANNED = '2025-01-04-next-work';

/** A clean protocol history: one completed session, one active (alice), one planned. */
export function cleanHistory(repo: Repo): void {
  draft(repo, DONE);
  ready(repo, DONE);
  claim(repo, DONE, alice);
  work(repo, DONE, alice);
  complete(repo, DONE, alice);
  draft(repo, ACTIVE);
  ready(repo, ACTIVE);
  claim(repo, ACTIVE, alice);
  work(repo, ACTIVE, alice);
  draft(repo, PLANNED);
  ready(repo, PLANNED);
}

export interface BadCase {
  name: string;
  rule: string;
  /** Makes the bad commit on top of a clean history; returns its sha. */
  make(repo: Repo): string;
}

/** The six violations of the acceptance criteria, each one commit. */
export const BAD_CASES: BadCase[] = [
  { name: 'a bad message', rule: 'message-format', make: (repo) => (repo.write('src/x.txt', 'x\n'), commitAs(repo, alice, 'fixed some stuff', ['src/x.txt'])) },
  {
    name: 'an edit of an active SESSION.md',
    rule: 'session-md-readonly',
    make: (repo) => (repo.write(`${S}/active/${ACTIVE}/SESSION.md`, `${sessionMd(ACTIVE)}- and one more thing\n`), commitAs(repo, alice, `[${ACTIVE}] docs: widen the scope`, [`${S}/active/${ACTIVE}/SESSION.md`])),
  },
  {
    name: 'canonical knowledge from a non-kb session',
    rule: 'kb-canonical',
    make: (repo) => (repo.write('_AGENTS/knowledge/guide.md', '# guide\n'), commitAs(repo, alice, `[${ACTIVE}] docs: write the guide`, ['_AGENTS/knowledge/guide.md'])),
  },
  { name: 'a commit not by the session identity', rule: 'attribution', make: (repo) => work(repo, ACTIVE, mallory) },
  {
    name: 'a double claim',
    rule: 'lifecycle',
    make: (repo) => {
      repo.write(LOCK, `${repo.read(LOCK)}${ACTIVE}:1735700000\n`);
      repo.write(`${S}/active/${ACTIVE}/.session-env`, envFile(ACTIVE, mallory));
      return commitAs(repo, mallory, `[${ACTIVE}] chore: claim session`, [LOCK, `${S}/active/${ACTIVE}/.session-env`]);
    },
  },
  {
    name: 'a lock line with no active folder',
    rule: 'lifecycle',
    make: (repo) => (repo.write(LOCK, `${repo.read(LOCK)}${PLANNED}:1735700000\n`), commitAs(repo, planner, '[maint] chore: tidy the lock file', [LOCK])),
  },
];

export function removePath(repo: Repo, rel: string): void {
  rmSync(join(repo.dir, rel), { recursive: true, force: true });
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value));
}
