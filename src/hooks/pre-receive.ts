// pre-receive on the hub: the server-side gate nobody can skip with --no-verify.
// stdin: `<old> <new> <ref>` per ref. Runs inside git's quarantine: the pushed objects are
// readable through the environment git sets (GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_
// DIRECTORIES, GIT_QUARANTINE_PATH), which every git we start inherits untouched; refs are
// never updated here. What it prints reaches the pusher as `remote:` lines.
//
// How refs are judged:
// - main: every commit new to main (`<new> ^<old>`) with every history rule, incl. attribution.
//   Deleting main is refused.
// - session branches (<branchPrefix><slug>): commits the hub has on no ref yet
//   (`<new> --not --all`) with the same rules, judged as not on main.
// - anything else (tags, other branches, deletions of non-main refs) is accepted.
// The config comes from the hub's current main (agent-sessions.config.json or package.json's
// "agentSessions"), else the pushed main tree (first push), else the defaults.
import { ruleIds } from '../../rules/index.ts';
import { judgeHistory } from '../check/history.ts';
import { CONFIG_FILE, defaultConfig, validateConfig, type Config } from '../config.ts';
import { gitSync } from '../git.ts';
import { isZeroId, readStdin, refLines, violationLines } from './stdin.ts';

function show(cwd: string, spec: string): string | undefined {
  try {
    return gitSync(['cat-file', 'blob', spec], { cwd });
  } catch {
    return undefined;
  }
}

/** The config as the tree at `rev` holds it; undefined when it holds none. */
function configAt(cwd: string, rev: string): { config?: Config; problem?: string } {
  try {
    const file = show(cwd, `${rev}:${CONFIG_FILE}`);
    if (file !== undefined) return { config: validateConfig(JSON.parse(file), CONFIG_FILE, ruleIds) };
    const pkg = show(cwd, `${rev}:package.json`);
    if (pkg !== undefined) {
      const data = JSON.parse(pkg) as Record<string, unknown>;
      if (data && typeof data === 'object' && 'agentSessions' in data) return { config: validateConfig(data.agentSessions, 'package.json#agentSessions', ruleIds) };
    }
    return {};
  } catch (err) {
    return { problem: (err as Error).message.split('\n')[0] };
  }
}

function hubConfig(cwd: string, lines: string[][]): Config {
  const fallback = defaultConfig();
  const mainRef = `refs/heads/${fallback.git.mainBranch}`;
  // The hub's current main first: a push must not be able to switch off the rules that
  // judge it. The pushed tree's config is used only to bootstrap a hub without one.
  const candidates = [mainRef, ...lines.filter(([, id, ref]) => !isZeroId(id) && ref === mainRef).map(([, id]) => id!)];
  for (const rev of candidates) {
    const { config, problem } = configAt(cwd, rev);
    if (config) return config;
    if (problem) process.stderr.write(`agent-sessions: ignoring the config in ${rev.slice(0, 12)}: ${problem}\n`);
  }
  return fallback;
}

export async function run(_args: readonly string[]): Promise<number> {
  const lines = refLines(await readStdin());
  if (lines.length === 0) return 0;
  const cwd = process.cwd();
  const config = hubConfig(cwd, lines);
  const mainRef = `refs/heads/${config.git.mainBranch}`;
  const sessionPrefix = `refs/heads/${config.git.branchPrefix}`;
  const out: string[] = [];
  for (const [oldId, newId, ref] of lines) {
    if (!ref || !newId) continue;
    if (ref === mainRef && isZeroId(newId)) {
      out.push(`agent-sessions: deleting ${config.git.mainBranch} is refused`, '      fix: push commits to main instead; sessions live on main');
      continue;
    }
    if (isZeroId(newId)) continue;
    let revs: string[];
    let onMain: boolean;
    if (ref === mainRef) {
      revs = isZeroId(oldId) ? [newId] : [newId, `^${oldId}`];
      onMain = true;
    } else if (ref.startsWith(sessionPrefix)) {
      revs = [newId, '--not', '--all'];
      onMain = false;
    } else continue;
    // The old tip of main: merges are judged against what was already on it.
    const guardedTip = onMain && !isZeroId(oldId) ? oldId : undefined;
    const result = await judgeHistory({ cwd, config, runPoint: 'pre-receive', revs, onMain, limit: 20, ...(guardedTip ? { guardedTip } : {}) });
    const errors = result.violations.filter((v) => v.severity === 'error');
    if (errors.length === 0) continue;
    out.push(`agent-sessions: push to ${ref} refused: ${errors.length}${result.truncated ? '+' : ''} violation(s)`, ...violationLines(errors, 10));
  }
  if (out.length === 0) return 0;
  out.push('agent-sessions: fix the commits (git rebase -i), then push again. `agent-sessions check` shows the same locally.');
  process.stderr.write(`${out.join('\n')}\n`);
  return 1;
}
