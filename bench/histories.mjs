// Synthetic protocol histories for bench:check, streamed into `git fast-import`:
// - linear: sessions drafted, readied, claimed, worked on with [slug] commits, completed with
//   their patch; three sessions in flight, so the lock file holds several lines.
// - merges: the same lifecycle on main, but each session's work on its own branch (1-50
//   commits, most short), plus short [maint] branches; several branches open at once, each
//   merged back in either parent order (a third with the branch as first parent, as
//   `git pull` makes them); about 15 % merges; and a pre-adoption prefix (a tenth of the
//   commits: plain messages, topic branches and merges) before the adoption commit.
// - preadoption: the merges shape with no adoption until the very last commit.
// Deterministic (a seeded generator), so every run builds the same history.
const S = '_AGENTS/sessions';
const CONFIG = JSON.stringify({ paths: { sessions: '_AGENTS/sessions', knowledge: '_AGENTS/knowledge' }, rules: {} }, null, 2) + '\n';

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const blob = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
const opText = (op) => (op[0] === 'M' ? `M 100644 inline ${op[1]}\n${blob(op[2])}` : op[0] === 'D' ? `D ${op[1]}\n` : `R ${op[1]} ${op[2]}\n`);
const planner = { name: 'Planner', email: 'planner@example.test' };
const envText = (slug, who) =>
  `export SESSION_SLUG='${slug}'\nexport GIT_AUTHOR_NAME='${who.name}'\nexport GIT_AUTHOR_EMAIL='${who.email}'\nexport GIT_COMMITTER_NAME='${who.name}'\nexport GIT_COMMITTER_EMAIL='${who.email}'\n`;
const sessionMd = (slug) => `---\nslug: ${slug}\n---\n# Task ${slug}\n\n## Acceptance criteria\n- it works\n`;

/** Writes a fast-import stream of about `total` commits of `shape` to `out`. */
export async function writeHistory(shape, total, out) {
  const rand = random(total + shape.length);
  let mark = 0;
  let time = 1_700_000_000;
  let mainTip = 0;
  const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  /** One commit; `parents[0]` is its first parent. Returns its mark. */
  async function commit(ref, who, message, parents, ops) {
    mark++;
    time += 60;
    const ident = `${who.name} <${who.email}> ${time} +0000`;
    let text = `commit ${ref}\nmark :${mark}\nauthor ${ident}\ncommitter ${ident}\n${blob(message)}`;
    if (parents[0]) text += `from :${parents[0]}\n`;
    for (const p of parents.slice(1)) text += `merge :${p}\n`;
    for (const op of ops) text += opText(op);
    await write(text);
    return mark;
  }
  const open = new Set(); // branches: { tip, ops: ops made on the branch, mainOps: main's since the fork }
  async function onMain(who, message, ops) {
    mainTip = await commit('refs/heads/main', who, message, [mainTip], ops);
    for (const branch of open) branch.mainOps.push(...ops);
  }
  const fork = () => {
    const branch = { tip: mainTip, ops: [], mainOps: [] };
    open.add(branch);
    return branch;
  };
  async function onBranch(branch, who, message, ops) {
    branch.tip = await commit('refs/heads/side', who, message, [branch.tip], ops);
    branch.ops.push(...ops);
  }
  async function mergeBack(branch, who, message) {
    open.delete(branch);
    const branchFirst = rand() < 1 / 3;
    const parents = branchFirst ? [branch.tip, mainTip] : [mainTip, branch.tip];
    // The merge's tree: the first parent's, plus what the other side changed since the fork.
    mainTip = await commit('refs/heads/main', who, message, parents, branchFirst ? branch.mainOps : branch.ops);
    for (const other of open) other.mainOps.push(...branch.ops);
  }
  const branchLength = () => 1 + Math.floor(49 * rand() ** 6);

  mainTip = await commit('refs/heads/main', planner, 'initial commit\n', [], [['M', 'README.md', '# bench\n']]);
  let branchId = 0;
  const work = (id, step) => [['M', `src/area-${id % 40}/file-${step % 25}.ts`, `export const v${id} = ${step};\n`]];
  // ---- history before the adoption: topic branches merged back, and direct commits
  const preCount = shape === 'preadoption' ? total - 2 : shape === 'merges' ? Math.floor(total / 10) : 0;
  const topics = [];
  while (mark < preCount) {
    while (topics.length < 4) topics.push({ branch: fork(), left: 1 + Math.floor(9 * rand() ** 2), id: ++branchId });
    const topic = topics[Math.floor(rand() * topics.length)];
    if (rand() < 0.15) await onMain(planner, `Fix typo ${mark}\n`, [['M', 'README.md', `# bench ${mark}\n`]]);
    else if (topic.left > 0) {
      await onBranch(topic.branch, planner, `Improve area ${topic.id % 40}, step ${topic.left}\n`, work(topic.id, topic.left));
      topic.left--;
    } else {
      await mergeBack(topic.branch, planner, `Merge branch 'topic-${topic.id}'\n`);
      topics.splice(topics.indexOf(topic), 1);
    }
  }
  for (const topic of topics) await mergeBack(topic.branch, planner, `Merge branch 'topic-${topic.id}'\n`);
  // ---- the adoption
  const layout = [['M', 'agent-sessions.config.json', CONFIG], ['M', `${S}/sessions.lock`, ''], ['M', `${S}/SESSIONS-README.md`, '# sessions\n'], ['M', '_AGENTS/knowledge/.gitkeep', '']];
  for (const state of ['drafting', 'planned', 'active', 'completed', 'abandoned']) layout.push(['M', `${S}/${state}/.gitkeep`, '']);
  await onMain(planner, '[maint] chore: adopt agent-sessions\n', layout);
  if (shape === 'preadoption') return out.end();

  // ---- the protocol: sessions (work on a branch when shape is merges) and [maint] branches
  const lock = new Map();
  const lockText = () => [...lock].map(([slug, at]) => `${slug}:${at}\n`).join('');
  const inFlight = [];
  const maint = [];
  let n = 0;
  const merges = shape === 'merges';
  while (mark < total) {
    if (inFlight.length < 3) {
      n++;
      const day = String((n % 28) + 1).padStart(2, '0');
      const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
      inFlight.push({ slug: `2025-${month}-${day}-task-${n}`, agent: { name: `agent-${n % 16}`, email: `agent-${n % 16}@example.test` }, step: 0, left: merges ? branchLength() : 6, id: ++branchId });
    }
    if (merges && maint.length < 2) maint.push({ branch: fork(), left: 1 + Math.floor(2 * rand()), id: ++branchId });
    if (merges && rand() < 0.4) {
      const m = maint[Math.floor(rand() * maint.length)];
      if (m.left > 0) {
        await onBranch(m.branch, planner, `[maint] chore: tidy area ${m.id % 40}\n`, work(m.id, m.left));
        m.left--;
      } else {
        await mergeBack(m.branch, planner, `[maint] chore: merge tidy-up ${m.id}\n`);
        maint.splice(maint.indexOf(m), 1);
      }
      continue;
    }
    const s = merges ? inFlight[Math.floor(rand() * inFlight.length)] : inFlight[mark % inFlight.length];
    const { slug, agent } = s;
    if (s.step === 0) await onMain(planner, `[${slug}] docs: draft session\n`, [['M', `${S}/drafting/${slug}/SESSION.md`, sessionMd(slug)]]);
    else if (s.step === 1) await onMain(planner, `[${slug}] docs: ready session\n`, [['R', `${S}/drafting/${slug}/SESSION.md`, `${S}/planned/${slug}/SESSION.md`]]);
    else if (s.step === 2) {
      lock.set(slug, time);
      await onMain(agent, `[${slug}] chore: claim session\n`, [
        ['R', `${S}/planned/${slug}/SESSION.md`, `${S}/active/${slug}/SESSION.md`],
        ['M', `${S}/active/${slug}/.session-env`, envText(slug, agent)],
        ['M', `${S}/active/${slug}/worklog.md`, '# worklog\n'],
        ['M', `${S}/active/${slug}/active-plan.md`, '# plan\n'],
        ['M', `${S}/sessions.lock`, lockText()],
      ]);
      if (merges) s.branch = fork();
    } else if (s.left > 0) {
      const message = `[${slug}] feat: step ${s.step - 2} of ${slug}\n\nWhat changed and why.\n`;
      if (merges) await onBranch(s.branch, agent, message, work(s.id, s.left));
      else await onMain(agent, message, [['M', `src/area-${n % 50}/file-${n % 400}.ts`, `export const v${n} = ${s.step};\n`]]);
      s.left--;
    } else if (s.branch) {
      await mergeBack(s.branch, agent, `[${slug}] chore: merge the work of ${slug}\n`);
      s.branch = undefined;
      continue;
    } else {
      lock.delete(slug);
      const ops = [];
      for (const f of ['SESSION.md', '.session-env', 'worklog.md', 'active-plan.md']) ops.push(['R', `${S}/active/${slug}/${f}`, `${S}/completed/${slug}/${f}`]);
      ops.push(['M', `${S}/completed/${slug}/${slug}.patch`, 'diff --git a/x b/x\n'], ['M', `${S}/sessions.lock`, lockText()]);
      await onMain(agent, `[${slug}] feat: complete ${slug}\n`, ops);
      inFlight.splice(inFlight.indexOf(s), 1);
      continue;
    }
    s.step++;
  }
  out.end();
}
