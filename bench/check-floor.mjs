// The floor of `check --all`: a Node process that runs the same git work the check runs (the
// adoption search, the range's rev-list, the git log of its commits in the walk's format,
// each as the walk asks for it) and reads every byte of it, judging nothing. bench/check.mjs
// runs it beside the check and `git log --raw --no-renames`: what the check costs beyond the
// floor is the judging; what the floor costs beyond git log is Node's start and the git work
// a judgement needs that a plain git log skips (the merges' diffs, the plan before the log).
// The arguments are the walk's own (test/unit/bench-floor.test.ts compares them).
// Usage: node bench/check-floor.mjs [<sessions dir> <lock file>] (in the repository; the defaults'
// layout otherwise)
import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** src/engine/log-args.ts historyLogArgs(). */
export const FLOOR_LOG_ARGS = [
  ...['-c', 'core.deltaBaseCacheLimit=16m', '-c', 'log.showRoot=true', '-c', 'log.showSignature=false', '-c', 'diff.ignoreSubmodules=none'],
  ...['log', '--no-walk=unsorted', '--stdin', '-z', '--raw', '--no-renames', '--no-abbrev', '--diff-merges=first-parent', '--format=%x01%H %P%x00%an%x00%ae%x00%cn%x00%ce%x00%B', '--'],
];

/** src/engine/walk-plan.ts's adoption search for a tip. */
export const floorAdoptionArgs = (tip, sessionsDir, lockPath) => ['rev-list', '--first-parent', '--format=%H %P', tip, '--', sessionsDir, lockPath];

function run(sessionsDir, lockPath) {
  const git = (args, input) => spawnSync('git', args, { encoding: 'utf8', maxBuffer: 1 << 30, ...(input !== undefined ? { input } : {}) });
  const search = git(floorAdoptionArgs('HEAD', sessionsDir, lockPath)).stdout.split('\n').filter((line) => line && !line.startsWith('commit '));
  if (search.length === 0) return;
  const adoption = search[search.length - 1].split(' ')[0];
  const ids = git(['rev-list', '--parents', `^${adoption}^@`, 'HEAD', '--']).stdout.split('\n').filter(Boolean).map((line) => line.slice(0, line.indexOf(' ') === -1 ? undefined : line.indexOf(' ')));
  const child = spawn('git', FLOOR_LOG_ARGS, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(`${ids.reverse().join('\n')}\n`);
  let records = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => {
    for (let at = text.indexOf('\x01'); at !== -1; at = text.indexOf('\x01', at + 1)) records++;
  });
  child.on('close', (code) => {
    if (code !== 0 || records !== ids.length) {
      console.error(`floor: git log exited ${code}, ${records} records for ${ids.length} commits`);
      process.exitCode = 1;
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) run(process.argv[2] ?? '_AGENTS/sessions', process.argv[3] ?? '_AGENTS/sessions/sessions.lock');
