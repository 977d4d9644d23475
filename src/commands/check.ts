// `agent-sessions check [--range A..B | --all] [--format text|json|github] [--json]`:
// the CI gate. (a) validates the tree at the end of the range, (b) judges every commit of
// the range with every history rule (one streamed git log). Exit 1 on errors, 0 clean,
// 2 without the layout or with a range that cannot be read.
import { appendFileSync } from 'node:fs';
import type { Command } from '../cli/command.ts';
import { judgeHistory } from '../check/history.ts';
import { formatGithub, formatJson, formatText, markdownSummary, summarize, type CheckReport } from '../check/format.ts';
import { rangePolicy } from '../check/policy.ts';
import { resolveRange } from '../check/range.ts';
import { ruleIds } from '../../rules/index.ts';
import { layoutEntriesVia, loadEndTree, validateTree, type EndTree } from '../check/tree.ts';
import { BlobReader } from '../engine/blob-reader.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { loadTeamLintHere, type TeamLint } from '../message/team-commitlint.ts';
import type { Violation } from '../engine/types.ts';
import type { Config } from '../config.ts';
import { Git } from '../git.ts';
import { CLAIMS_NAMESPACE, trackedClaims } from '../hub/claim-refs.ts';
import { claimsWithoutRef } from '../policy/claim-ref-receive.ts';
import { prepareWalkProcess } from '../engine/walk-process.ts';

export interface CheckOptions extends CommonOptions {
  range?: string;
  all?: boolean;
  format?: 'text' | 'json' | 'github';
  /** Environment to read CI variables from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Refs hub mode, for a pull request's range: every claim it brings must be the one the hub's
   * claim ref holds (the hub's claim refs are fetched once). Not for main's own ranges: a
   * merged session's claim ref may already be gone.
   */
  claims?: boolean;
}

export interface CheckResult extends CheckReport {
  format: 'text' | 'json' | 'github';
}

/** What a CLI check process sets before its first git (src/cli.ts and the lean entry, src/check/lean-check.ts). */
export function prepareCheckProcess(): void {
  prepareWalkProcess();
  process.env.GIT_NO_REPLACE_OBJECTS = '1'; // judge the objects, not a fetched refs/replace/* view of them
}

export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const format = options.format ?? 'text';
  if (!['text', 'json', 'github'].includes(format)) {
    throw new UsageError('usage', `unknown format ${JSON.stringify(format)}`, { fix: 'use --format text, json or github' });
  }
  const env = options.env ?? process.env;
  const ctx = await openRepo(options);
  const range = resolveRange(ctx.root, { ...(options.range ? { range: options.range } : {}), ...(options.all ? { all: true } : {}), env });
  // Judged with the policy of the range's base, not the one the range brings (src/check/policy.ts).
  const policy = rangePolicy(ctx.root, range.base, range.end, ctx.config, ruleIds);
  const config = policy.config;
  // One cat-file (the one the check started early) answers the layout's entries and the walk.
  const blobs = new BlobReader(ctx.root);
  try {
    const top = await layoutEntriesVia(blobs, ctx.root, config, range.end);
    const { branchPrefix } = config.git;
    const onMain = !(range.branch ?? '').startsWith(branchPrefix);
    const progress = process.stderr.isTTY && format !== 'json';
    let walked: (EndTree & { head: string | undefined }) | undefined;
    const team = await teamLintFor(ctx.root);
    const history = await judgeHistory({
      cwd: ctx.root,
      config,
      runPoint: 'check',
      revs: range.revs,
      blobs,
      onMain,
      ...(range.baseId !== undefined ? { guardedTip: range.baseId } : {}),
      onEnd: (end) => (walked = end),
      ...(team.lint ? { teamLint: team.lint } : {}),
      ...(progress ? { onProgress: (count: number) => process.stderr.write(`\rcheck: ${count} commits…`) } : {}),
    });
    if (progress && history.commits >= 1000) process.stderr.write('\r\x1b[K');
    // The walk's model is the end tree: with one positive revision (the end), the last commit
    // of a reverse topological walk is the end itself. With an empty range (or no rule to run,
    // so no walk) the tree is listed.
    const endTree = walked?.head !== undefined ? walked : loadEndTree(ctx.root, config, range.end);
    const treeViolations = validateTree(config, range.end, top, endTree);
    const claimFindings = options.claims ? await claimRefFindings(ctx.root, config, range.base, range.end) : [];
    const label = range.base ? `${range.base}..${range.end}` : `${range.end} (whole history)`;
    const report = summarize(label, range.source, history.commits, [...policy.findings, ...team.notes, ...treeViolations, ...history.violations, ...claimFindings]);
    if (format === 'github' && env.GITHUB_STEP_SUMMARY) {
      try {
        appendFileSync(env.GITHUB_STEP_SUMMARY, markdownSummary(report));
      } catch {
        /* the summary is a courtesy; the annotations and exit code carry the verdict */
      }
    }
    return { ...report, format };
  } finally {
    blobs.close();
  }
}

/**
 * The team's commitlint rules for the history walk: the checkout's config, loaded once, with
 * the trust rules of commit-msg (a config that is code runs only where the team's
 * @commitlint/cli is installed or the checkout trusts it). A config that was not run is a
 * warning, so CI says why the team's rules were not applied.
 */
async function teamLintFor(root: string): Promise<{ lint?: TeamLint; notes: Violation[] }> {
  let loaded;
  try {
    loaded = await loadTeamLintHere(root);
  } catch (err) {
    throw new UsageError('commitlint-config', `cannot load the repository's commitlint config: ${(err as Error).message.split('\n')[0]}`, {
      fix: 'repair it (`npx commitlint --print-config` shows what commitlint reads)',
    });
  }
  if (!loaded) return { notes: [] };
  if ('skipped' in loaded) return { notes: [{ rule: 'message-format', severity: 'warn', message: loaded.skipped, fix: 'install the team\'s @commitlint/cli in CI (npm ci) or run `git config agent-sessions.commitlintCode true` in the CI checkout' }] };
  return { lint: loaded.lint, notes: [] };
}

/** `--claims`: the range's claims against the hub's claim refs (one fetch, one log, one cat-file). */
async function claimRefFindings(root: string, config: Config, base: string | undefined, end: string): Promise<Violation[]> {
  if (config.git.hubMode !== 'refs') {
    throw new UsageError('usage', `--claims is for the refs hub mode; this repository's git.hubMode is ${config.git.hubMode}`, { fix: 'drop --claims' });
  }
  const { remote } = config.git;
  const fetched = await new Git(root).run(['fetch', '-q', '--prune', '--no-tags', remote, `+${CLAIMS_NAMESPACE}*:${trackedClaims(remote)}*`], { okCodes: [1, 128] });
  if (fetched.status !== 0) {
    throw new UsageError('usage', `--claims cannot fetch the claim refs from "${remote}": ${fetched.stderr.trim().split('\n').pop() ?? ''}`, { fix: `check \`git remote get-url ${remote}\` (CI: fetch with a token that may read the repository)` });
  }
  return claimsWithoutRef(root, config, base, end, trackedClaims(remote)).map((u) => ({
    rule: 'claim-ref',
    severity: 'error' as const,
    commit: u.commit,
    message: `this claims ${u.slug}, but the hub's claim ref ${CLAIMS_NAMESPACE}${u.slug} ${u.refExists ? 'names another holder' : 'does not exist'}`,
    fix: `in the refs hub mode a session is claimed with \`agent-sessions claim ${u.slug}\` (the claim ref is the lock); merge only the pull request its holder's \`complete\` pushed`,
  }));
}

export const command: Command<CheckOptions, CheckResult> = {
  run: check,
  text: (result) => {
    if (result.format === 'json') return JSON.stringify(formatJson(result), null, 2);
    if (result.format === 'github') return formatGithub(result);
    return formatText(result);
  },
  json: (result) => formatJson(result),
  exitCode: (result) => (result.summary.errors > 0 ? 1 : 0),
};
