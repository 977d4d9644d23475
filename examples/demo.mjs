// The whole story of agent-sessions in one run (npm run demo): a bare hub, a planner and two
// agents in a scratch folder that is removed at the end. Two agents race for ONE session:
// the hub's compare-and-swap on main decides, the loser gets exit 3 and takes the other one;
// the winner may not complete the loser's session (not the holder), and the loser overrides
// SESSION.md the seed's way and completes after it.
// One line per step, ✔ or ✘; the exit code is 0 only if every step did what it should.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const S = '_AGENTS/sessions';
if (!existsSync(CLI)) {
  console.error('dist/cli.js is missing: run `npm run demo` (it builds first) or `node scripts/build.mjs`.');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'agent-sessions-demo-'));
const gitconfig = join(scratch, 'gitconfig');
writeFileSync(gitconfig, '[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n');
const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
for (const key of ['SESSION_SLUG', 'GIT_DIR', 'GIT_INDEX_FILE', 'AGENT_SESSIONS', 'AGENT_NAME', 'AGENT_EMAIL']) delete env[key];

let failures = 0;
let stepNo = 0;
function step(ok, what, detail = '') {
  stepNo++;
  if (!ok) failures++;
  const shown = detail.length > 160 ? `${detail.slice(0, 157)}...` : detail;
  console.log(`${ok ? '✔' : '✘'} ${String(stepNo).padStart(2)}. ${what}${shown ? ` — ${shown}` : ''}`);
  return ok;
}
const git = (cwd, args, extra = {}) => spawnSync('git', args, { cwd, env: { ...env, ...extra }, encoding: 'utf8' });
const gitOut = (cwd, ...args) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
const cli = (cwd, args, extra = {}) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...env, ...extra }, encoding: 'utf8' });
  let json;
  try {
    json = args.includes('--json') ? JSON.parse(r.stdout) : undefined;
  } catch {
    /* reported by the step */
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
};
const cliAsync = (cwd, args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr, json: (() => { try { return JSON.parse(stdout); } catch { return undefined; } })() }));
  });
const firstLine = (text) => (text || '').trim().split('\n').find(Boolean) ?? '';
function link(dir) {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'agent-sessions'), 'dir');
}
function person(dir, name) {
  gitOut(dir, 'config', 'user.name', name);
  gitOut(dir, 'config', 'user.email', `${name.toLowerCase()}@example.test`);
}

try {
  console.log(`agent-sessions demo in ${scratch}\n`);
  // 1. the hub and the planner's repository
  const hub = join(scratch, 'hub.git');
  gitOut(scratch, 'init', '-q', '--bare', '-b', 'main', hub);
  const planner = join(scratch, 'planner');
  mkdirSync(planner);
  gitOut(planner, 'init', '-q', '-b', 'main');
  person(planner, 'Planner');
  writeFileSync(join(planner, 'README.md'), '# shop\n');
  writeFileSync(join(planner, '.gitignore'), 'node_modules/\n');
  link(planner);
  const init = cli(planner, ['init']);
  gitOut(planner, 'add', '-A');
  gitOut(planner, 'commit', '-q', '--no-verify', '-m', '[maint] chore: adopt agent-sessions');
  gitOut(planner, 'remote', 'add', 'origin', hub);
  const pushed0 = git(planner, ['push', '-q', '-u', 'origin', 'main']);
  step(init.code === 0 && pushed0.status === 0, 'planner adopts agent-sessions (init) and pushes to a bare hub', `${hub}`);

  // 2. two agents clone the hub
  const agents = {};
  for (const name of ['Alice', 'Bob']) {
    const dir = join(scratch, name.toLowerCase());
    gitOut(scratch, 'clone', '-q', hub, dir);
    person(dir, name);
    link(dir);
    agents[name] = { dir, hooks: cli(dir, ['install-hooks']).code === 0 };
  }
  step(agents.Alice.hooks && agents.Bob.hooks, 'two agents, Alice and Bob, clone the hub; hooks installed');

  // 3. the planner drafts two sessions, readies them and pushes
  const A = '2025-03-01-checkout-page';
  const B = '2025-03-02-search-box';
  let planned = true;
  for (const [slug, criterion] of [[A, 'the checkout page shows the total'], [B, 'search finds products by name']]) {
    planned &&= cli(planner, ['new', slug, '--criteria', criterion]).code === 0;
    planned &&= cli(planner, ['ready', slug]).code === 0;
  }
  const pushed1 = git(planner, ['push', '-q', 'origin', 'main']);
  step(planned && pushed1.status === 0, 'planner drafts two sessions, readies them and pushes', `${A}, ${B}`);

  // 4. the race: both agents claim session A at the same moment
  const [ra, rb] = await Promise.all([cliAsync(agents.Alice.dir, ['claim', A, '--json']), cliAsync(agents.Bob.dir, ['claim', A, '--json'])]);
  const codes = [ra.code, rb.code].sort().join(',');
  const winnerName = ra.code === 0 ? 'Alice' : 'Bob';
  const loserName = winnerName === 'Alice' ? 'Bob' : 'Alice';
  const won = ra.code === 0 ? ra : rb;
  const lost = ra.code === 0 ? rb : ra;
  step(codes === '0,3', `Alice and Bob race to claim ${A}: exactly one wins`, `${winnerName} won (exit 0), ${loserName} lost (exit ${lost.code}: ${lost.json?.error?.message ?? firstLine(lost.stderr)})`);
  const lock = gitOut(hub, 'show', `main:${S}/sessions.lock`);
  step(lock.split('\n').length === 1 && lock.startsWith(`${A}:`), 'the hub holds one claim commit and one lock line', lock);

  // 5. the loser takes the next planned session
  const next = cli(agents[loserName].dir, ['next', '--claim', '--json']);
  step(next.code === 0 && next.json?.slug === B, `${loserName} runs \`next --claim\` and gets the other session`, next.json?.slug ?? firstLine(next.stderr || next.stdout));

  // 6. the winner works in the worktree, as the session's identity
  const wt = won.json?.path;
  const sessionEnv = won.json?.env ?? {};
  writeFileSync(join(wt, 'checkout.html'), '<p>Total: 42</p>\n');
  git(wt, ['add', 'checkout.html']);
  const c1 = git(wt, ['commit', '-q', '-m', `[${A}] feat: checkout page with the total`], sessionEnv);
  const author = c1.status === 0 ? gitOut(wt, 'log', '-1', '--format=%an <%ae>') : '';
  step(c1.status === 0 && author.startsWith(winnerName), `${winnerName} commits in ${wt.slice(scratch.length + 1)} as the session`, author || firstLine(c1.stderr));

  // 7. refusals by the hooks
  writeFileSync(join(wt, 'checkout.html'), '<p>Total: 43</p>\n');
  git(wt, ['add', 'checkout.html']);
  const bad = git(wt, ['commit', '-q', '-m', 'quick fix'], sessionEnv);
  step(bad.status !== 0, 'a commit with a bare message ("quick fix": no [slug] <type>:) is refused by commit-msg', firstLine(bad.stderr) || 'NOT refused');
  const ok2 = git(wt, ['commit', '-q', '-m', `[${A}] fix: total off by one`], sessionEnv);
  writeFileSync(join(wt, S, 'active', A, 'worklog.md'), `# Worklog: ${A}\n\n- total fixed\n`);
  // Bob's session folder is not Alice's to write (in this worktree it is still planned/).
  const otherRel = `${S}/planned/${B}/notes.md`;
  mkdirSync(join(wt, S, 'planned', B), { recursive: true });
  writeFileSync(join(wt, otherRel), 'sneaky\n');
  git(wt, ['add', '--', otherRel]);
  const refusedOther = git(wt, ['commit', '-q', '-m', `[${A}] docs: notes for the other session`], sessionEnv);
  git(wt, ['reset', '-q', '--', otherRel]);
  rmSync(join(wt, otherRel), { force: true });
  step(ok2.status === 0 && refusedOther.status !== 0, "a commit touching another session's folder is refused by pre-commit", firstLine(refusedOther.stderr) || 'NOT refused');

  // 8. learnings
  const learnings = join(wt, '_AGENTS', 'knowledge', 'sessions', A, 'learnings.md');
  mkdirSync(join(learnings, '..'), { recursive: true });
  writeFileSync(learnings, '- totals are computed in cents to avoid rounding\n');
  git(wt, ['add', '--', `_AGENTS/knowledge/sessions/${A}/learnings.md`, `${S}/active/${A}/worklog.md`]);
  const c3 = git(wt, ['commit', '-q', '-m', `[${A}] docs: learnings and worklog`], sessionEnv);
  step(c3.status === 0, `${winnerName} writes learnings and the worklog`, firstLine(c3.stderr));

  // 9. complete
  const done = cli(agents[winnerName].dir, ['complete', A, '--notes', 'Checkout shows the total; all criteria met.', '--json']);
  const kb = done.json?.kbSession;
  step(done.code === 0 && Boolean(kb), `${winnerName} completes ${A}: one squash commit on the hub, patch archived`, done.code === 0 ? `kb merge session ${kb}` : firstLine(done.stdout || done.stderr));
  const onHub = gitOut(hub, 'ls-tree', '-r', '--name-only', 'main');
  step(
    onHub.includes('checkout.html') && onHub.includes(`${S}/completed/${A}/${A}.patch`) && !existsSync(wt) && gitOut(hub, 'branch', '--list', `session/${A}`) === '',
    'the hub has the change and the archive; the worktree and the branch are gone',
  );

  // 10. completion belongs to the holder: the winner tries to complete the loser's session
  const loser = agents[loserName];
  const winnerDir = agents[winnerName].dir;
  git(winnerDir, ['fetch', '-q', 'origin', `session/${B}:session/${B}`]);
  const mainBefore = gitOut(hub, 'rev-parse', 'main');
  const stolen = cli(winnerDir, ['complete', B, '--json']);
  step(
    stolen.code === 1 && stolen.json?.error?.code === 'not-holder' && gitOut(hub, 'rev-parse', 'main') === mainBefore,
    `${winnerName} tries to complete ${loserName}'s ${B}: refused, not the holder (exit 1)`,
    stolen.json?.error?.message ?? firstLine(stolen.stderr),
  );

  // 11. the seed's OVERRIDE procedure, then a completion after it
  const lwt = next.json?.claimed?.path;
  const lenv = next.json?.claimed?.env ?? {};
  const md = join(lwt, S, 'active', B, 'SESSION.md');
  chmodSync(md, 0o644);
  writeFileSync(md, readFileSync(md, 'utf8').replace('search finds products by name', 'search finds products by name or SKU'));
  git(lwt, ['add', `${S}/active/${B}/SESSION.md`]);
  const ov = git(lwt, ['commit', '-q', '-m', `[${B}] OVERRIDE: criterion must include SKU (agreed with the planner)`], lenv);
  chmodSync(md, 0o444);
  writeFileSync(join(lwt, S, 'active', B, 'worklog.md'), `# Worklog: ${B}\n\n- OVERRIDE: SKU search added to the criterion\n`);
  writeFileSync(join(lwt, 'search.js'), 'export const search = (q, items) => items.filter((i) => i.name.includes(q) || i.sku === q);\n');
  git(lwt, ['add', `${S}/active/${B}/worklog.md`, 'search.js']);
  const w = git(lwt, ['commit', '-q', '-m', `[${B}] feat: search by name or SKU`], lenv);
  step(ov.status === 0 && w.status === 0, `${loserName} overrides SESSION.md the seed's way ([slug] OVERRIDE: <reason>) and commits the work`, firstLine(ov.stderr || w.stderr));
  const doneB = cli(loser.dir, ['complete', B, '--notes', 'SKU search included, see the OVERRIDE.', '--json']);
  const bodyB = doneB.code === 0 ? gitOut(hub, 'log', '-1', '--format=%B', 'main') : '';
  step(
    doneB.code === 0 && /^Override: [0-9a-f]{40} /m.test(bodyB) && gitOut(hub, 'show', `main:${S}/completed/${B}/SESSION.md`).includes('name or SKU'),
    `${loserName} completes ${B}: the OVERRIDE is carried through the squash and named in its trailers`,
    doneB.code === 0 ? (bodyB.split('\n').find((l) => l.startsWith('Override:')) ?? '') : doneB.json?.error?.message ?? firstLine(doneB.stderr),
  );

  // 12. final status, as anyone sees it after a pull
  git(planner, ['pull', '-q', '--ff-only']);
  const status = cli(planner, ['status', '--json']);
  const byState = Object.fromEntries((status.json?.sessions ?? []).map((s) => [s.slug, s.state]));
  step(byState[A] === 'completed' && byState[B] === 'completed' && byState[kb] === 'planned' && status.json?.problems?.length === 0, 'final status', `${A} completed · ${B} completed (${loserName}) · ${kb} planned`);
  console.log(`\n${cli(planner, ['status']).stdout.trim()}`);
} catch (err) {
  step(false, 'the demo crashed', err instanceof Error ? err.message.split('\n')[0] : String(err));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(failures === 0 ? '\nEvery step did what it should.' : `\n${failures} step(s) did not do what they should.`);
process.exit(failures === 0 ? 0 : 1);
