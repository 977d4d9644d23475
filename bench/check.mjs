// bench:check — `agent-sessions check --all` over synthetic histories (bench/histories.mjs)
// of 10,000 and 100,000 commits, linear and merge-heavy (about 15 % merges, branches merged
// in either parent order, a pre-adoption prefix), beside `git log --raw --no-renames` over
// the same commits in the same run (each check run paired with a git log run right before
// it; the ratio is of the two medians). Also: a 10,000-commit history that is all
// pre-adoption (against `node -e 0`), peak RSS (of the check process and its git children,
// via /usr/bin/time), and the pre-receive hook on a first push of 10,000 existing commits
// beside the same push to a hub without the hook. Histories are built once under .bench/.
// BENCH_SIZES=10000,100000  BENCH_SHAPES=linear,merges (or none)  BENCH_RUNS=5
// BENCH_PREADOPTION=0, BENCH_PUSH=0: skip those parts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHistory } from './histories.mjs';
import { median, pairedRuns, ratio, timeRuns } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const benchDir = join(root, '.bench', 'check');
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const SHAPES = (process.env.BENCH_SHAPES ?? 'linear,merges').split(',').filter((shape) => shape && shape !== 'none');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function buildRepo(shape, total) {
  const dir = join(benchDir, `${shape}-${total}`);
  if (existsSync(join(dir, '.git', 'bench-done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  spawnSync('git', ['init', '-q', '-b', 'main', dir]);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve) => child.on('close', resolve));
  await writeHistory(shape, total, child.stdin);
  const code = await done;
  if (code !== 0) throw new Error(`fast-import failed for ${shape} ${total}`);
  spawnSync('git', ['update-ref', '-d', 'refs/heads/side'], { cwd: dir });
  spawnSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
  spawnSync('git', ['gc', '-q'], { cwd: dir });
  spawnSync('sh', ['-c', 'touch .git/bench-done'], { cwd: dir });
  return dir;
}

const checkRun = (dir) => spawnSync(process.execPath, [cli, 'check', '--all', '--json'], { cwd: dir, maxBuffer: 1 << 28 });
const gitLogRun = (dir) => spawnSync('sh', ['-c', 'git log --raw --no-renames HEAD >/dev/null'], { cwd: dir });

function peakRssKb(cwd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'check', '--all', '--format', 'json'], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return Number(r.stderr.trim().split('\n').pop());
}

function describe(dir) {
  const count = Number(spawnSync('git', ['rev-list', '--count', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim());
  const merges = Number(spawnSync('git', ['rev-list', '--count', '--merges', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim());
  return { count, merges };
}

const baseline = median(timeRuns(RUNS, () => spawnSync(process.execPath, ['-e', '0'])));
console.log(`node -e 0: ${baseline.toFixed(1)} ms (median of ${RUNS})`);
const figures = {};
for (const shape of SHAPES) {
  for (const size of SIZES) {
    const dir = await buildRepo(shape, size);
    const { count, merges } = describe(dir);
    const probe = checkRun(dir);
    const summary = JSON.parse(probe.stdout.toString()).summary;
    const paired = pairedRuns(RUNS, () => checkRun(dir), () => gitLogRun(dir));
    const wall = median(paired.times);
    const log = median(paired.baseTimes);
    const rss = peakRssKb(dir);
    figures[`${shape}-${size}`] = { wall, rss, log };
    console.log(
      `${shape}, ${count} commits (${((100 * merges) / count).toFixed(1)} % merges): check --all ${wall.toFixed(0)} ms, git log --raw --no-renames ${log.toFixed(0)} ms, ` +
        `${ratio(wall, log)} (target <= 1.5x); peak RSS ${(rss / 1024).toFixed(1)} MB; exit ${probe.status}, ${summary.errors} errors, ${summary.commits} commits judged (median of ${RUNS})`,
    );
  }
  const small = figures[`${shape}-10000`];
  const big = figures[`${shape}-100000`];
  if (small && big) console.log(`${shape} 100k / 10k: wall ${ratio(big.wall, small.wall)} (target <= 12x), peak RSS ${ratio(big.rss, small.rss)} (target <= 2x)`);
}

// A history that is all pre-adoption: the walk skips it without reading it.
if (process.env.BENCH_PREADOPTION !== '0') {
  const dir = await buildRepo('preadoption', 10000);
  const { count } = describe(dir);
  const paired = pairedRuns(RUNS, () => checkRun(dir), () => spawnSync(process.execPath, ['-e', '0']));
  const wall = median(paired.times);
  const base = median(paired.baseTimes);
  const judged = JSON.parse(checkRun(dir).stdout.toString()).summary.commits;
  console.log(`all pre-adoption, ${count} commits: check --all ${wall.toFixed(0)} ms, node -e 0 ${base.toFixed(0)} ms: ${(wall - base).toFixed(0)} ms beyond Node start (target <= 300 ms), ${judged} commit(s) judged`);
}

// pre-receive on a first push of 10,000 existing commits (to an empty hub): a repository
// that adopts the protocol pushes its old history plus the adoption commit.
if (process.env.BENCH_PUSH !== '0') {
  const dir = await buildRepo('preadoption', 10000);
  const scratch = mkdtempSync(join(tmpdir(), 'as-bench-push-'));
  let n = 0;
  const freshHub = (withHook) => {
    const hub = join(scratch, `hub-${n++}.git`);
    spawnSync('git', ['init', '-q', '--bare', '-b', 'main', hub]);
    if (withHook) {
      const r = spawnSync(process.execPath, [cli, 'install-server-hook', hub], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`install-server-hook failed: ${r.stderr}`);
    }
    return hub;
  };
  const push = (hub) => {
    const r = spawnSync('git', ['push', '-q', '--no-verify', hub, 'main'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`push failed: ${r.stderr}`);
  };
  try {
    const times = [];
    const plain = [];
    const runs = Math.max(3, Math.min(RUNS, 5));
    for (let i = 0; i < runs; i++) {
      for (const [withHook, into] of [[false, plain], [true, times]]) {
        const hub = freshHub(withHook);
        const start = performance.now();
        push(hub);
        into.push(performance.now() - start);
        rmSync(hub, { recursive: true, force: true });
      }
    }
    const hooked = median(times);
    const bare = median(plain);
    console.log(`first push of 10,000 existing commits and the adoption: with pre-receive ${hooked.toFixed(0)} ms, without ${bare.toFixed(0)} ms, ${ratio(hooked, bare)} (target <= 1.2x, median of ${runs})`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
