// pre-push: for what goes to the main branch, judges every commit the remote does not have
// yet (ONE batched git log) with the history rules that serve pre-push (message-format,
// session-md-readonly, kb-canonical, lifecycle). Other refs (session branches, tags) and
// deletions pass: the CI check and the hub judge those.
import { ruleIds } from '../../rules/index.ts';
import { judgeHistory } from '../check/history.ts';
import { loadConfig } from '../config.ts';
import { AgentSessionsError } from '../errors.ts';
import { findTopLevel, gitSync } from '../git.ts';
import { isZeroId, readStdin, refLines, violationLines } from './stdin.ts';
import { printable } from '../printable.ts';
import { loadTeamLintHere, type TeamLint } from '../message/team-commitlint.ts';
import { prepareWalkProcess } from '../engine/walk-process.ts';

function exists(cwd: string, id: string): boolean {
  try {
    gitSync(['cat-file', '-e', `${id}^{commit}`], { cwd });
    return true;
  } catch {
    return false;
  }
}

function isRemoteName(cwd: string, name: string): boolean {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return false;
  try {
    return gitSync(['config', '--get', `remote.${name}.url`], { cwd }).trim() !== '';
  } catch {
    return false;
  }
}

export async function run(args: readonly string[]): Promise<number> {
  prepareWalkProcess();
  process.env.GIT_NO_REPLACE_OBJECTS = '1'; // judge the objects the hub will judge, not a refs/replace/* view
  const input = await readStdin();
  const lines = refLines(input);
  if (lines.length === 0) return 0;
  const cwd = findTopLevel(process.cwd()) ?? process.cwd();
  let config;
  try {
    config = loadConfig(cwd, ruleIds);
  } catch (err) {
    const e = err as AgentSessionsError;
    process.stderr.write(`agent-sessions pre-push: ${printable(e.message, 2000)}\n${e.fix ? `  fix: ${printable(e.fix, 2000)}\n` : ''}`);
    return 1;
  }
  const mainRef = `refs/heads/${config.git.mainBranch}`;
  const include: string[] = [];
  const exclude: string[] = [];
  let guardedTip: string | undefined;
  for (const [, localId, remoteRef, remoteId] of lines) {
    if (remoteRef !== mainRef || isZeroId(localId)) continue;
    include.push(localId!);
    if (!isZeroId(remoteId) && exists(cwd, remoteId!)) {
      exclude.push(`^${remoteId}`);
      guardedTip = remoteId; // the remote's main: merges are judged against what is on it
    }
  }
  if (include.length === 0) return 0;
  const remote = args[0] ?? '';
  const revs = [...include, ...exclude, ...(isRemoteName(cwd, remote) ? ['--not', `--remotes=${remote}`] : [])];
  // The team's commitlint rules, loaded once for the whole push (only when it has a config).
  let teamLint: TeamLint | undefined;
  try {
    const loaded = await loadTeamLintHere(cwd);
    if (loaded && 'skipped' in loaded) process.stderr.write(`agent-sessions pre-push: note: ${printable(loaded.skipped, 2000)}\n`);
    teamLint = loaded && 'lint' in loaded ? loaded.lint : undefined;
  } catch (err) {
    process.stderr.write(`agent-sessions pre-push: cannot load the repository's commitlint config: ${printable((err as Error).message.split('\n')[0] ?? '', 2000)}\n  fix: repair it (\`npx commitlint --print-config\` shows what commitlint reads), or skip once with AGENT_SESSIONS=0\n`);
    return 2;
  }
  const result = await judgeHistory({ cwd, config, runPoint: 'pre-push', revs, onMain: true, limit: 50, ...(guardedTip ? { guardedTip } : {}), ...(teamLint ? { teamLint } : {}) });
  const errors = result.violations.filter((v) => v.severity === 'error');
  const warnings = result.violations.filter((v) => v.severity === 'warn');
  if (warnings.length > 0) process.stderr.write(`agent-sessions pre-push: ${warnings.length} warning(s)\n${violationLines(warnings).join('\n')}\n`);
  if (errors.length === 0) return 0;
  process.stderr.write(
    [
      `agent-sessions pre-push: push to ${config.git.mainBranch} refused: ${errors.length}${result.truncated ? '+' : ''} violation(s)`,
      ...violationLines(errors),
      '  (fix the commits, e.g. with git rebase -i, and push again; CI and the hub check the same rules)',
      '',
    ].join('\n'),
  );
  return 1;
}
