// bench:check — `agent-sessions check --all` over synthetic histories (bench/histories.mjs)
// of 10,000 and 100,000 commits, linear and merge-heavy (about 15 % merges, branches merged
// in either parent order, a pre-adoption prefix), beside `git log --raw --no-renames` over
// the same commits in the same run (each check run paired with a git log run right before
// it; the ratio is of the two medians). Also: a 10,000-commit history that is all
// pre-adoption (against `node -e 0`), peak RSS (of the check process and its git children,
// via /usr/bin/time), and the pre-receive hook on a first push of 10,000 existing commits
// beside the same push to a hub without the hook; and the floor of each check (bench/check-floor.mjs:
// the same git work read by Node and not judged). Histories are built once under .bench/.
// Every figure is given as wall time AND CPU time (user + system of the process and its
// children, from /usr/bin/time), with the median of the per-pair ratios: on a shared machine
// CPU time is the steadier measure. The load average is printed before and after.
// BENCH_SIZES=10000,100000  BENCH_SHAPES=linear,merges (or none)  BENCH_RUNS=7
// BENCH_PREADOPTION=0, BENCH_PUSH=0: skip those parts. BENCH_REAL_REPO=<clone>: a real history too.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHistory } from './histories.mjs';
import { measured, median, pairedMeasures, ratio } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const benchDir = join(root, '.bench', 'check');
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const SHAPES = (process.env.BENCH_SHAPES ?? 'linear,merges').split(',').filter((shape) => shape && shape !== 'none');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

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

const checkRun = (dir) => measured(process.execPath, [cli, 'check', '--all', '--json'], { cwd: dir });
const gitLogRun = (dir) => measured('sh', ['-c', 'git log --raw --no-renames HEAD >/dev/null'], { cwd: dir });
const nodeRun = () => measured(process.execPath, ['-e', '0']);
// The check's own git work read by Node, no judging (bench/check-floor.mjs).
const floorRun = (dir) => measured(process.execPath, [join(root, 'bench', 'check-floor.mjs')], { cwd: dir });
const load = () => loadavg().map((n) => n.toFixed(1)).join(' ');
const ms = (value) => (value === null || value === undefined ? '?' : `${value.toFixed(0)} ms`);
const cpuPart = (m) => (m.cpu === null ? '' : `; CPU ${ms(m.cpu)} vs ${ms(m.baseCpu)} = ${m.cpuRatio.toFixed(2)}x`);

function describe(dir) {
  const count = Number(spawnSync('git', ['rev-list', '--count', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim());
  const merges = Number(spawnSync('git', ['rev-list', '--count', '--merges', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim());
  return { count, merges };
}

console.log(`load average at start: ${load()}`);
const node0 = pairedMeasures(RUNS, nodeRun, nodeRun);
console.log(`node -e 0: ${ms(node0.wall)} wall, ${ms(node0.cpu)} CPU (median of ${RUNS})`);
const figures = {};
for (const shape of SHAPES) {
  for (const size of SIZES) {
    const dir = await buildRepo(shape, size);
    const { count, merges } = describe(dir);
    const probe = checkRun(dir);
    const summary = JSON.parse(probe.stdout.toString()).summary;
    const m = pairedMeasures(RUNS, () => checkRun(dir), () => gitLogRun(dir));
    figures[`${shape}-${size}`] = { wall: m.wall, rss: m.rssKb, cpu: m.cpu };
    console.log(
      `${shape}, ${count} commits (${((100 * merges) / count).toFixed(1)} % merges): check --all ${ms(m.wall)}, git log --raw --no-renames ${ms(m.baseWall)}, ` +
        `${ratio(m.wall, m.baseWall)} (median of pair ratios ${m.wallRatio.toFixed(2)}x; target <= 1.5x)${cpuPart(m)}; peak RSS ${(m.rssKb / 1024).toFixed(1)} MB; ` +
        `exit ${probe.status}, ${summary.errors} errors, ${summary.commits} commits judged (median of ${RUNS} pairs, load ${load()})`,
    );
    const floor = pairedMeasures(RUNS, () => floorRun(dir), () => gitLogRun(dir));
    console.log(
      `  its floor (Node start and the check's own git work, read, not judged): ${ms(floor.wall)}, git log ${ms(floor.baseWall)}, ${ratio(floor.wall, floor.baseWall)} ` +
        `(median of pair ratios ${floor.wallRatio.toFixed(2)}x)${cpuPart(floor)}: the judging adds ${ms(m.wall - floor.wall)} (load ${load()})`,
    );
  }
  const small = figures[`${shape}-10000`];
  const big = figures[`${shape}-100000`];
  if (small && big) console.log(`${shape} 100k / 10k: wall ${ratio(big.wall, small.wall)} (target <= 12x), CPU ${big.cpu && small.cpu ? ratio(big.cpu, small.cpu) : '?'}, peak RSS ${ratio(big.rss, small.rss)} (target <= 2x)`);
}

// A history that is all pre-adoption: the walk skips it without reading it.
if (process.env.BENCH_PREADOPTION !== '0') {
  const dir = await buildRepo('preadoption', 10000);
  const { count } = describe(dir);
  const m = pairedMeasures(RUNS, () => checkRun(dir), nodeRun);
  const judged = JSON.parse(m.last.stdout.toString()).summary.commits;
  console.log(
    `all pre-adoption, ${count} commits: check --all ${ms(m.wall)}, node -e 0 ${ms(m.baseWall)}: ${(m.wall - m.baseWall).toFixed(0)} ms beyond Node start (target <= 300 ms)` +
      `${m.cpu === null ? '' : `; CPU ${ms(m.cpu)} vs ${ms(m.baseCpu)}: ${(m.cpu - m.baseCpu).toFixed(0)} ms beyond`}, ${judged} commit(s) judged (load ${load()})`,
  );
}

// pre-receive on a first push of 10,000 existing commits (to an empty hub): a repository
// that adopts the protocol pushes its old history plus the adoption commit.
/**
 * First pushes of `dir`'s main to fresh hubs, with the pre-receive and without, paired (each
 * hub is made before the clock starts and removed after).
 */
function firstPushPairs(dir, scratch, runs) {
  let n = 0;
  const pushTo = (withHook) => {
    const hub = join(scratch, `hub-${n++}.git`);
    spawnSync('git', ['init', '-q', '--bare', '-b', 'main', hub]);
    if (withHook) {
      const r = spawnSync(process.execPath, [cli, 'install-server-hook', hub], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`install-server-hook failed: ${r.stderr}`);
    }
    try {
      const r = measured('git', ['push', '-q', '--no-verify', hub, 'main'], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`push failed: ${r.stderr}`);
      return r;
    } finally {
      rmSync(hub, { recursive: true, force: true });
    }
  };
  return pairedMeasures(runs, () => pushTo(true), () => pushTo(false));
}

if (process.env.BENCH_PUSH !== '0') {
  const dir = await buildRepo('preadoption', 10000);
  const scratch = mkdtempSync(join(tmpdir(), 'as-bench-push-'));
  try {
    const runs = Math.max(5, RUNS);
    const m = firstPushPairs(dir, scratch, runs);
    console.log(
      `first push of 10,000 existing commits and the adoption: with pre-receive ${ms(m.wall)}, without ${ms(m.baseWall)}, ${ratio(m.wall, m.baseWall)} ` +
        `(median of pair ratios ${m.wallRatio.toFixed(2)}x; target <= 1.2x)${cpuPart(m)} (median of ${runs} pairs, load ${load()})`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// A real repository's history (BENCH_REAL_REPO=<path of a clone, e.g. of expressjs/express>):
// cloned, adopted with `init` and one [maint] commit, then `check --all` beside git log, and
// its first push to a hub with the pre-receive beside the same push without it: the shape the
// issue started from (a long pre-adoption history with real merges and real tree diffs).
if (process.env.BENCH_REAL_REPO) {
  const scratch = mkdtempSync(join(tmpdir(), 'as-bench-real-'));
  try {
    const dir = join(scratch, 'work');
    spawnSync('git', ['clone', '-q', '--no-local', process.env.BENCH_REAL_REPO, dir]);
    spawnSync('git', ['checkout', '-q', '-B', 'main'], { cwd: dir });
    const id = ['-c', 'user.name=Bench Planner', '-c', 'user.email=planner@example.test'];
    const init = spawnSync(process.execPath, [cli, 'init', '--no-hooks'], { cwd: dir, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
    spawnSync('git', ['add', '-A'], { cwd: dir });
    spawnSync('git', [...id, 'commit', '-q', '--no-verify', '-m', '[maint] chore: adopt agent-sessions'], { cwd: dir });
    const { count, merges } = describe(dir);
    const m = pairedMeasures(RUNS, () => checkRun(dir), () => gitLogRun(dir));
    const judged = JSON.parse(m.last.stdout.toString()).summary.commits;
    console.log(
      `real history (${process.env.BENCH_REAL_REPO}), ${count} commits (${((100 * merges) / count).toFixed(1)} % merges): check --all ${ms(m.wall)}, git log --raw --no-renames ${ms(m.baseWall)}, ` +
        `${ratio(m.wall, m.baseWall)}${cpuPart(m)}; ${judged} commit(s) judged (median of ${RUNS} pairs, load ${load()})`,
    );
    const p = firstPushPairs(dir, scratch, Math.max(5, RUNS));
    console.log(`real history, first push with the adoption: with pre-receive ${ms(p.wall)}, without ${ms(p.baseWall)}, ${ratio(p.wall, p.baseWall)}${cpuPart(p)} (load ${load()})`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
