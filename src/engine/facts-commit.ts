// Facts for the commit-time hooks (commit-msg, pre-commit): the commit being made, i.e. the
// index against HEAD. At most a few git calls, each made only when a rule asks and only once:
//   changes     git diff-index --cached -z -M HEAD (the index git will commit: GIT_INDEX_FILE
//                                                 is passed through, so `commit -a` works)
//   before      git ls-tree HEAD on the state folders
//   after()     git ls-files on the sessions folder (the index)
//   untracked() git ls-files --others --exclude-standard
//   readBefore/readAfter   git cat-file blob HEAD:<path> / :<path>
// The current session and branch come from the file system (SESSION_SLUG, else the branch,
// which during a rebase is read from rebase-merge/head-name).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { commonDirOf, currentBranchOf, gitDirOf, gitSync } from '../git.ts';
import { parseSessionEnv } from '../sessions.ts';
import { isSlug } from '../slug.ts';
import { STATES } from '../states.ts';
import { EMPTY_SNAPSHOT, snapshotFromPaths } from './snapshot.ts';
import { headOid, stagedCache } from './staged-cache.ts';
import type { TeamLint } from '../message/team-commitlint.ts';
import type { Change, Facts, RunPoint, SessionsSnapshot } from './types.ts';

export interface CommitFactsInput {
  runPoint: Extract<RunPoint, 'commit-msg' | 'pre-commit'>;
  /** Work tree top (hooks run there). */
  top: string;
  config: Config;
  message?: string;
  env?: NodeJS.ProcessEnv;
  /** commit-msg only: the team's commitlint rules, when the repository has a config. */
  teamLint?: TeamLint;
}

function memo<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** Parses `git diff --raw -z` output: `:<mode> <mode> <sha> <sha> <status>\0<path>\0[<path>\0]`. */
export function parseRawDiff(output: string): Change[] {
  const parts = output.split('\0');
  const changes: Change[] = [];
  for (let i = 0; i < parts.length; i++) {
    const meta = parts[i]!;
    if (!meta.startsWith(':')) continue;
    const [, dstMode = '', , , statusField = ''] = meta.slice(1).split(' ');
    const status = statusField.charAt(0);
    const score = statusField.length > 1 ? Number(statusField.slice(1)) : undefined;
    if (status === 'R' || status === 'C') {
      const from = parts[++i]!;
      const path = parts[++i]!;
      changes.push({ status, path, from, mode: dstMode, ...(score !== undefined ? { similarity: score } : {}) });
    } else {
      changes.push({ status, path: parts[++i]!, mode: dstMode });
    }
  }
  return changes;
}

/** SESSION_SLUG when it is a valid slug, else the slug in the branch name `session/<slug>`. */
export function currentSessionOf(branch: string | undefined, config: Config, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.SESSION_SLUG;
  if (fromEnv && isSlug(fromEnv)) return fromEnv;
  const prefix = config.git.branchPrefix;
  if (branch?.startsWith(prefix) && isSlug(branch.slice(prefix.length))) return branch.slice(prefix.length);
  return undefined;
}

export function collectCommitFacts(input: CommitFactsInput): Facts {
  const { top, config } = input;
  const env = input.env ?? process.env;
  const git = (args: string[], okCodes?: number[]) => gitSync(args, { cwd: top, env, ...(okCodes ? { okCodes } : {}) });
  const gitDir = gitDirOf(top, env);
  const branch = currentBranchOf(gitDir);
  const currentSession = currentSessionOf(branch, config, env);
  const commonDir = commonDirOf(gitDir);
  // HEAD from the file system when it can be read there (no spawn), else from git.
  const hasHead = memo(() => {
    const oid = headOid(gitDir, commonDir);
    if (oid !== undefined) return oid !== 'unborn';
    return git(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], [1]).trim() !== '';
  });
  const sessionsDir = config.paths.sessions;

  const cache = stagedCache(top, gitDir, commonDir, env);
  const changes = memo(() => {
    let raw = input.runPoint === 'commit-msg' ? cache.get() : undefined;
    if (env.AGENT_SESSIONS_DEBUG === '1' && input.runPoint === 'commit-msg') {
      process.stderr.write(`agent-sessions[debug]: staged changes ${raw === undefined ? 'not cached: asking git' : "reused from pre-commit"}\n`);
    }
    if (raw === undefined) {
      // Plumbing diff-index is ~25% cheaper than porcelain diff (no diff.* config, no pager
      // setup); an unborn branch has no HEAD to compare with, where `diff --cached` copes.
      raw = hasHead() ? git(['diff-index', '--cached', '-z', '-M', 'HEAD']) : git(['diff', '--cached', '-z', '--raw', '-M', '--no-ext-diff']);
      if (input.runPoint === 'pre-commit') cache.set(raw);
    }
    return parseRawDiff(raw);
  });
  const before = memo((): SessionsSnapshot => {
    if (!hasHead()) return EMPTY_SNAPSHOT;
    const folders = STATES.map((state) => `${sessionsDir}/${state}/`);
    const out = git(['ls-tree', '-z', '--name-only', 'HEAD', '--', ...folders]);
    return snapshotFromPaths(out.split('\0').filter(Boolean).map((p) => `${p}/`), config);
  });
  const after = memo(() => snapshotFromPaths(git(['ls-files', '-z', '--', `${sessionsDir}/`]).split('\0').filter(Boolean), config));
  const untracked = memo(() => git(['ls-files', '-z', '--others', '--exclude-standard']).split('\0').filter(Boolean));
  const blobs = new Map<string, string | undefined>();
  const readBlob = (spec: string): string | undefined => {
    if (!blobs.has(spec)) {
      let text: string | undefined;
      try {
        text = git(['cat-file', 'blob', spec]);
      } catch {
        text = undefined;
      }
      blobs.set(spec, text);
    }
    return blobs.get(spec);
  };

  const facts: Facts = {
    runPoint: input.runPoint,
    config,
    message: input.message,
    currentSession,
    branch,
    get changes() {
      return changes();
    },
    get before() {
      return before();
    },
    after,
    untracked,
    merging: existsSync(join(gitDir, 'MERGE_HEAD')),
    // git exports the author it will record to its commit hooks (GIT_AUTHOR_NAME/EMAIL);
    // `git var` answers the same question where a caller ran the hook without them.
    author: memo(() => {
      if (env.GIT_AUTHOR_NAME !== undefined && env.GIT_AUTHOR_EMAIL !== undefined) return { name: env.GIT_AUTHOR_NAME, email: env.GIT_AUTHOR_EMAIL };
      try {
        const ident = /^(.*) <([^>]*)> \d+ [+-]\d{4}$/.exec(git(['var', 'GIT_AUTHOR_IDENT']).trim());
        return ident ? { name: ident[1]!, email: ident[2]! } : undefined;
      } catch {
        return undefined;
      }
    }),
    sessionIdentity(slug) {
      const state = before().states.get(slug);
      if (!state) return undefined;
      const text = readBlob(`HEAD:${sessionsDir}/${state}/${slug}/.session-env`);
      if (text === undefined) return undefined;
      const values = parseSessionEnv(text);
      return values.GIT_AUTHOR_NAME && values.GIT_AUTHOR_EMAIL ? { name: values.GIT_AUTHOR_NAME, email: values.GIT_AUTHOR_EMAIL } : undefined;
    },
    readAfter: (path) => readBlob(`:${path}`),
    readBefore: (path) => (hasHead() ? readBlob(`HEAD:${path}`) : undefined),
    ...(input.teamLint ? { teamLint: input.teamLint } : {}),
  };
  return facts;
}
