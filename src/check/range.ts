// Which commits `check` judges. Explicit --range/--all win; otherwise the CI's own variables
// (GitHub Actions push and pull_request events, GitLab CI pipelines), else the commits of
// the current branch not yet on its upstream. A shallow clone that lacks the base is told
// which fetch depth to set instead of being judged on a partial history.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { gitDirOf, gitSync, readRefFile } from '../git.ts';

export interface ResolvedRange {
  /** Arguments for git log. */
  revs: string[];
  /** The commit whose tree is validated. */
  end: string;
  /** The base (undefined: the whole history of `end`). */
  base?: string;
  /**
   * The base's commit id: the walk compares it with parent ids (a merge built on it is judged
   * against it), so a name (`origin/main`) there matched no parent and judged such merges
   * more weakly than the hub does.
   */
  baseId?: string;
  /** Where the range came from, for messages. */
  source: string;
  /** The branch the range is on, when known (decides "on main"). */
  branch?: string;
}

export interface RangeRequest {
  range?: string;
  all?: boolean;
  env?: NodeJS.ProcessEnv;
}

const ZERO = /^0+$/;

function gitOk(cwd: string, args: string[]): string | undefined {
  try {
    return gitSync(args, { cwd }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The branch HEAD names and whether it has a commit, read from HEAD and the ref files (as
 * `symbolic-ref --short HEAD` and `rev-parse --verify HEAD` would say); git is asked only
 * when the files do not settle it. Two fewer processes before the walk can start.
 */
function headState(cwd: string): { branch: string | undefined; born: boolean } {
  try {
    const head = readFileSync(`${gitDirOf(cwd)}/HEAD`, 'utf8').trim();
    const ref = head.startsWith('ref: refs/heads/') ? head.slice(5) : undefined;
    if (ref && ref !== 'refs/heads/.invalid' && readRefFile(cwd, ref)) return { branch: ref.slice('refs/heads/'.length), born: true };
  } catch {
    /* ask git */
  }
  return { branch: gitOk(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']), born: commitId(cwd, 'HEAD') !== undefined };
}

/** The id of the commit `rev` names, or undefined when there is none. */
function commitId(cwd: string, rev: string): string | undefined {
  return gitOk(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])?.trim() || undefined;
}

function readEvent(env: NodeJS.ProcessEnv): Record<string, any> | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, any>;
  } catch {
    return undefined;
  }
}

/** base..end from the CI environment, or undefined when not in a known CI. */
export function rangeFromCi(env: NodeJS.ProcessEnv): { base?: string; end: string; source: string; branch?: string } | undefined {
  if (env.GITHUB_ACTIONS === 'true') {
    const event = readEvent(env);
    const name = env.GITHUB_EVENT_NAME ?? '';
    if (name.startsWith('pull_request') && event?.pull_request) {
      return {
        base: event.pull_request.base?.sha,
        end: event.pull_request.head?.sha ?? env.GITHUB_SHA ?? 'HEAD',
        source: `GitHub ${name} (base..head of the pull request)`,
        branch: event.pull_request.head?.ref,
      };
    }
    if (name === 'push') {
      const before = typeof event?.before === 'string' && !ZERO.test(event.before) ? event.before : undefined;
      return { base: before, end: env.GITHUB_SHA ?? event?.after ?? 'HEAD', source: 'GitHub push (before..GITHUB_SHA)', branch: env.GITHUB_REF_NAME };
    }
    return { end: env.GITHUB_SHA ?? 'HEAD', source: `GitHub ${name || 'workflow'} (whole history)`, branch: env.GITHUB_REF_NAME };
  }
  if (env.GITLAB_CI === 'true') {
    const end = env.CI_COMMIT_SHA ?? 'HEAD';
    if (env.CI_MERGE_REQUEST_DIFF_BASE_SHA) {
      return { base: env.CI_MERGE_REQUEST_DIFF_BASE_SHA, end, source: 'GitLab merge request (diff base..CI_COMMIT_SHA)', branch: env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME };
    }
    const before = env.CI_COMMIT_BEFORE_SHA && !ZERO.test(env.CI_COMMIT_BEFORE_SHA) ? env.CI_COMMIT_BEFORE_SHA : undefined;
    return { base: before, end, source: 'GitLab push (CI_COMMIT_BEFORE_SHA..CI_COMMIT_SHA)', branch: env.CI_COMMIT_BRANCH ?? env.CI_COMMIT_REF_NAME };
  }
  return undefined;
}

function shallowFix(cwd: string, what: string): UsageError {
  const shallow = gitOk(cwd, ['rev-parse', '--is-shallow-repository']) === 'true';
  if (shallow) {
    return new UsageError('shallow-clone', `this is a shallow clone and ${what} is not in it`, {
      fix: 'fetch the whole history: set `fetch-depth: 0` on actions/checkout (GitHub) or `GIT_DEPTH: 0` (GitLab), or run `git fetch --unshallow`',
    });
  }
  return new UsageError('bad-range', `${what} is not a commit of this repository`, { fix: 'pass --range <base>..<end> with commits that exist here, or --all' });
}

export function resolveRange(cwd: string, request: RangeRequest): ResolvedRange {
  const env = request.env ?? process.env;
  if (request.range && request.all) throw new UsageError('usage', '--range and --all exclude each other', { fix: 'pass one of them' });
  const head = headState(cwd);
  const branch = head.branch;
  if (request.all) {
    if (!head.born) throw new UsageError('no-commits', 'HEAD has no commit yet', { fix: 'commit something first' });
    return { revs: ['HEAD'], end: 'HEAD', source: '--all', ...(branch ? { branch } : {}) };
  }
  let base: string | undefined;
  let end: string;
  let source: string;
  let rangeBranch = branch;
  if (request.range) {
    const match = /^([^.]*)\.\.\.?([^.]*)$/.exec(request.range);
    if (!match) throw new UsageError('bad-range', `--range ${JSON.stringify(request.range)} is not <base>..<end>`, { fix: 'use e.g. --range origin/main..HEAD' });
    base = match[1] || 'HEAD';
    end = match[2] || 'HEAD';
    source = `--range ${request.range}`;
  } else {
    const ci = rangeFromCi(env);
    if (ci) {
      ({ base, end, source } = ci);
      rangeBranch = ci.branch ?? branch;
    } else {
      const upstream = gitOk(cwd, ['rev-parse', '--verify', '--quiet', '@{upstream}']);
      if (!upstream) {
        throw new UsageError('no-range', 'no range given, no CI detected and the current branch has no upstream', {
          fix: 'pass --range <base>..<end> (e.g. origin/main..HEAD) or --all',
        });
      }
      base = upstream;
      end = 'HEAD';
      source = '@{upstream}..HEAD';
    }
  }
  if (!commitId(cwd, end)) throw shallowFix(cwd, `the range's end ${end}`);
  const baseId = base === undefined ? undefined : commitId(cwd, base);
  if (base !== undefined && !baseId) throw shallowFix(cwd, `the range's base ${base}`);
  const revs = base === undefined ? [end] : [end, `^${base}`];
  return { revs, end, source, ...(base !== undefined ? { base, baseId } : {}), ...(rangeBranch ? { branch: rangeBranch } : {}) };
}
