// bench:check — `agent-sessions check --all` over synthetic histories of 10,000 and 100,000
// commits built with `git fast-import` (sessions drafted, readied, claimed, worked on with
// [slug] commits, completed with their patch; several sessions active at once so the lock
// file holds several lines). Prints median wall time, peak RSS (of the check process, via
// /usr/bin/time) and the ratios the issue sets as targets, with `node -e 0` measured in the
// same run (each check run paired with a `node -e 0` run right before it). The histories are
// built once under .bench/ and reused.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, pairedRuns, ratio, timeRuns } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const benchDir = join(root, '.bench', 'check');
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const S = '_AGENTS/sessions';
const CONFIG = JSON.stringify({ paths: { sessions: '_AGENTS/sessions', knowledge: '_AGENTS/knowledge' }, rules: {} }, null, 2) + '\n';

/** Streams a fast-import script of about `total` commits into `out` (a writable). */
async function writeHistory(total, out) {
  let mark = 0;
  let time = 1_700_000_000;
  const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  const blob = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  async function commit(who, message, ops) {
    mark++;
    time += 60;
    const ident = `${who.name} <${who.email}> ${time} +0000`;
    let text = `commit refs/heads/main\nmark :${mark}\nauthor ${ident}\ncommitter ${ident}\n${blob(message)}`;
    if (mark > 1) text += `from :${mark - 1}\n`;
    for (const op of ops) text += op.length === 2 ? `M 100644 inline ${op[0]}\n${blob(op[1])}` : op[0] === 'D' ? `D ${op[1]}\n` : `R ${op[1]} ${op[2]}\n`;
    await write(text);
  }
  const planner = { name: 'Planner', email: 'planner@example.test' };
  await commit(planner, 'initial commit\n', [['README.md', '# bench\n']]);
  const layout = [[`agent-sessions.config.json`, CONFIG], [`${S}/sessions.lock`, ''], [`${S}/SESSIONS-README.md`, '# sessions\n'], ['_AGENTS/knowledge/.gitkeep', '']];
  for (const state of ['drafting', 'planned', 'active', 'completed', 'abandoned']) layout.push([`${S}/${state}/.gitkeep`, '']);
  await commit(planner, '[maint] chore: adopt agent-sessions\n', layout);
  const lock = new Map();
  const lockText = () => [...lock].map(([slug, at]) => `${slug}:${at}\n`).join('');
  const WORK = 6;
  const inFlight = [];
  let n = 0;
  // Each session: draft, ready, claim, WORK code commits, complete. Three run interleaved.
  while (mark < total) {
    if (inFlight.length < 3) {
      n++;
      const day = String((n % 28) + 1).padStart(2, '0');
      const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
      const slug = `2025-${month}-${day}-task-${n}`;
      const agent = { name: `agent-${n % 16}`, email: `agent-${n % 16}@example.test` };
      inFlight.push({ slug, agent, step: 0 });
    }
    const s = inFlight[mark % inFlight.length];
    const { slug, agent } = s;
    const md = `---\nslug: ${slug}\n---\n# Task ${slug}\n\n## Acceptance criteria\n- it works\n`;
    if (s.step === 0) await commit(planner, `[${slug}] docs: draft session\n`, [[`${S}/drafting/${slug}/SESSION.md`, md]]);
    else if (s.step === 1) await commit(planner, `[${slug}] docs: ready session\n`, [['R', `${S}/drafting/${slug}/SESSION.md`, `${S}/planned/${slug}/SESSION.md`]]);
    else if (s.step === 2) {
      lock.set(slug, time);
      const env = `export SESSION_SLUG='${slug}'\nexport GIT_AUTHOR_NAME='${agent.name}'\nexport GIT_AUTHOR_EMAIL='${agent.email}'\nexport GIT_COMMITTER_NAME='${agent.name}'\nexport GIT_COMMITTER_EMAIL='${agent.email}'\n`;
      await commit(agent, `[${slug}] chore: claim session\n`, [
        ['R', `${S}/planned/${slug}/SESSION.md`, `${S}/active/${slug}/SESSION.md`],
        [`${S}/active/${slug}/.session-env`, env],
        [`${S}/active/${slug}/worklog.md`, '# worklog\n'],
        [`${S}/active/${slug}/active-plan.md`, '# plan\n'],
        [`${S}/sessions.lock`, lockText()],
      ]);
    } else if (s.step < 3 + WORK) {
      await commit(agent, `[${slug}] feat: step ${s.step - 2} of ${slug}\n\nWhat changed and why.\n`, [[`src/area-${n % 50}/file-${n % 400}.ts`, `export const v${n} = ${s.step};\n`]]);
    } else {
      lock.delete(slug);
      const ops = [];
      for (const f of ['SESSION.md', '.session-env', 'worklog.md', 'active-plan.md']) ops.push(['R', `${S}/active/${slug}/${f}`, `${S}/completed/${slug}/${f}`]);
      ops.push([`${S}/completed/${slug}/${slug}.patch`, `diff --git a/x b/x\n`], [`${S}/sessions.lock`, lockText()]);
      await commit(agent, `[${slug}] feat: complete ${slug}\n`, ops);
      inFlight.splice(inFlight.indexOf(s), 1);
      continue;
    }
    s.step++;
  }
  out.end();
}

async function buildRepo(total) {
  const dir = join(benchDir, `h${total}`);
  if (existsSync(join(dir, '.git', 'bench-done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  spawnSync('git', ['init', '-q', '-b', 'main', dir]);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve) => child.on('close', resolve));
  await writeHistory(total, child.stdin);
  const code = await done;
  if (code !== 0) throw new Error(`fast-import failed for ${total}`);
  spawnSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
  spawnSync('git', ['gc', '-q'], { cwd: dir });
  spawnSync('sh', ['-c', 'touch .git/bench-done'], { cwd: dir });
  return dir;
}

function peakRssKb(cwd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'check', '--all', '--format', 'json'], { cwd, encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop();
  return Number(last);
}

const baseline = median(timeRuns(RUNS, () => spawnSync(process.execPath, ['-e', '0'])));
console.log(`node -e 0: ${baseline.toFixed(1)} ms (median of ${RUNS})`);
const figures = {};
for (const size of SIZES) {
  const dir = await buildRepo(size);
  const count = spawnSync('git', ['rev-list', '--count', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
  const probe = spawnSync(process.execPath, [cli, 'check', '--all', '--json'], { cwd: dir, encoding: 'utf8' });
  const summary = JSON.parse(probe.stdout).summary;
  // Each check run is paired with a `node -e 0` run right before it; the ratio is of the two medians.
  const paired = pairedRuns(RUNS, () => spawnSync(process.execPath, [cli, 'check', '--all', '--json'], { cwd: dir }), () => spawnSync(process.execPath, ['-e', '0']));
  const wall = median(paired.times);
  const base = median(paired.baseTimes);
  const rss = peakRssKb(dir);
  figures[size] = { wall, rss, base };
  console.log(`check --all, ${count} commits: ${wall.toFixed(0)} ms (median of ${RUNS}), ${ratio(wall, base)} node -e 0 (${base.toFixed(1)} ms, interleaved); peak RSS ${(rss / 1024).toFixed(1)} MB (check and its git children); exit ${probe.status}, ${summary.errors} errors, ${summary.commits} commits judged`);
  // The same without message-format, to show what the rest of the walk costs (the working
  // tree's config wins over the committed one; restored afterwards).
  if (process.env.BENCH_SPLIT !== '0') {
    const config = join(dir, 'agent-sessions.config.json');
    writeFileSync(config, JSON.stringify({ rules: { 'message-format': 'off' } }));
    try {
      const without = median(timeRuns(RUNS, () => spawnSync(process.execPath, [cli, 'check', '--all', '--json'], { cwd: dir })));
      console.log(`  without message-format: ${without.toFixed(0)} ms, ${ratio(without, baseline)} node -e 0`);
    } finally {
      spawnSync('git', ['checkout', '-q', '--', 'agent-sessions.config.json'], { cwd: dir });
    }
  }
}
if (figures[10000] && figures[100000]) {
  console.log(`100k / 10k wall: ${ratio(figures[100000].wall, figures[10000].wall)} (target <= 12x); peak RSS 100k / 10k: ${ratio(figures[100000].rss, figures[10000].rss)} (target <= 2x)`);
}
if (figures[10000]) console.log(`10k vs node -e 0: ${ratio(figures[10000].wall, figures[10000].base)} (target <= 10x)`);
