// `agent-sessions subsession <parent> "<words>"`: scope found during an active session becomes
// a session of its own, as the seed asks. The new session is drafted on the hub's main (one
// commit through the hub transaction, like `cancel`), and a line naming it is appended to the
// parent's subsessions.md and committed on the parent's branch, in its local worktree or
// clone, under the session's identity. Without a local checkout of the parent the draft still
// lands, and the output says which line to add.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions, type RepoContext } from '../context.ts';
import { LostRaceError, UsageError } from '../errors.ts';
import { gitSafeName, resolveIdentity, SESSION_ENV_KEYS } from '../hub/identity.ts';
import { clonePath, syncLocalMain, worktreePath, type LocalMainSync } from '../hub/local.ts';
import { stateOn, wrongStateOnHub } from '../hub/state.ts';
import { runHubTransaction } from '../hub/transaction.ts';
import { commitTree, editTree } from '../hub/tree.ts';
import { readRepoText, safeWriteFile } from '../safe-fs.ts';
import { commitPlanned } from '../planning.ts';
import { parseSessionEnv } from '../sessions.ts';
import { assertSlug, slugFromInput } from '../slug.ts';
import { renderTemplate } from '../templates.ts';
import { hubTarget } from './claim.ts';

export interface SubsessionOptions extends CommonOptions {
  slug: string;
  words: string;
  criteria?: string[];
  now?: Date;
}

export interface SubsessionResult {
  parent: string;
  slug: string;
  state: 'drafting';
  /** The draft's commit on the hub's main. */
  commit: string;
  /** The commit on the parent's branch that links it, when a local checkout of it exists. */
  linked?: { path: string; commit: string };
  /** The line to add to subsessions.md by hand when no local checkout was found. */
  line: string;
  localMain: LocalMainSync;
}

/** The parent's checkout on its branch: this one, its worktree or its clone. */
async function parentCheckout(ctx: RepoContext, parent: string): Promise<string | undefined> {
  const branch = (await ctx.git.run(['symbolic-ref', '-q', '--short', 'HEAD'], { okCodes: [1] })).stdout.trim();
  if (branch === ctx.layout.branch(parent)) return ctx.root;
  return [worktreePath(ctx, parent), clonePath(ctx, parent)].find((dir) => existsSync(join(dir, '.git')));
}

export async function subsession(options: SubsessionOptions): Promise<SubsessionResult> {
  const parent = assertSlug(options.slug);
  const words = (options.words ?? '').replace(/\s+/g, ' ').trim();
  if (!words) throw new UsageError('no-words', 'say what the subsession is about', { fix: `agent-sessions subsession ${parent} "<words>"` });
  // eslint-disable-next-line no-control-regex
  if (/[\0-\x1f\x7f]/.test(options.words)) throw new UsageError('bad-input', 'the words hold a control character', { fix: 'use plain words' });
  const slug = slugFromInput(words, options.now);
  const ctx = await openRepo(options);
  const identity = await resolveIdentity(ctx.git, {});
  const title = words === slug ? slug : words.slice(0, 200);
  const content = renderTemplate(
    'SESSION.md.j2',
    {
      SESSION_SLUG: slug,
      TITLE: title,
      CREATED: (options.now ?? new Date()).toISOString(),
      CONTEXT: `Scope found during session ${parent} (listed in its subsessions.md).`,
      ACCEPTANCE_CRITERIA: (options.criteria ?? []).map((c) => c.replace(/\s+/g, ' ').trim()).filter(Boolean),
      SUBSESSIONS: [],
    },
    ctx.layout,
  );
  const done = await runHubTransaction(hubTarget(ctx), async (main) => {
    const parentState = await stateOn(ctx.git, main, ctx.layout, parent);
    if (parentState !== 'active') throw await wrongStateOnHub(ctx.git, main, ctx.layout, parent, parentState, ['active'], 'add a subsession to');
    const existing = await stateOn(ctx.git, main, ctx.layout, slug);
    if (existing) {
      throw new LostRaceError('session-exists', `session ${slug} already exists on the hub's main (${existing})`, {
        fix: 'choose other words, or give a slug (YYYY-MM-DD-words)',
        data: { slug, state: existing },
      });
    }
    const path = `${ctx.layout.rel.session('drafting', slug)}/SESSION.md`;
    const tree = await editTree(ctx.git, `${main}^{tree}`, { writes: [{ path, content }] });
    const message = `[${slug}] docs: draft subsession\n\nScope found during session ${parent}.\n`;
    return { commit: await commitTree(ctx.git, tree, [main], message, { name: gitSafeName(identity.name), email: identity.email }), value: undefined };
  });
  const localMain = await syncLocalMain(ctx, done.main);
  const line = `- \`${slug}\`: ${title.replace(/[\r\n]/g, ' ')} (drafted ${(options.now ?? new Date()).toISOString().slice(0, 10)})`;
  const result: SubsessionResult = { parent, slug, state: 'drafting', commit: done.commit!, line, localMain };
  const checkout = await parentCheckout(ctx, parent);
  if (checkout) {
    const there = await openRepo({ cwd: checkout });
    const dirRel = there.layout.rel.session('active', parent);
    const rel = `${dirRel}/subsessions.md`;
    const file = there.layout.abs(rel);
    if (existsSync(there.layout.abs(dirRel))) {
      const before = readRepoText(checkout, file); // never through a link, FIFO or device: repository data
      const base = before ?? renderTemplate('subsessions.md.j2', { SESSION_SLUG: parent }, there.layout);
      safeWriteFile(checkout, file, `${base}${base.endsWith('\n') || !base ? '' : '\n'}${line}\n`);
      // The commit is the session's work: made under its identity, as attribution requires.
      const envFile = there.layout.abs(`${dirRel}/.session-env`);
      const envText = readRepoText(checkout, envFile);
      const values = envText !== undefined ? parseSessionEnv(envText) : {};
      const env = Object.fromEntries(SESSION_ENV_KEYS.filter((k) => values[k] !== undefined).map((k) => [k, values[k]!]));
      const commit = await commitPlanned(there, {
        paths: [rel],
        message: `[${parent}] docs: subsession ${slug}`,
        env,
        undo: () => (before === undefined ? rmSync(file, { force: true }) : writeFileSync(file, before)),
      });
      result.linked = { path: join(checkout, rel), commit };
    }
  }
  return result;
}

export const command: Command<SubsessionOptions, SubsessionResult> = {
  run: subsession,
  text: (r) =>
    [
      `Drafted ${r.slug} on the hub's main (commit ${r.commit.slice(0, 8)}), a subsession of ${r.parent}.`,
      r.linked
        ? `Linked in ${r.linked.path} (commit ${r.linked.commit.slice(0, 8)} on ${r.parent}'s branch).`
        : `No local checkout of ${r.parent}: add this line to its subsessions.md:\n  ${r.line}`,
      ...(r.localMain.note ? [`note: ${r.localMain.note}`] : []),
      `Next: the planner fills in its SESSION.md and runs \`agent-sessions ready ${r.slug} --push\`.`,
    ].join('\n'),
};
