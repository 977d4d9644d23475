// `agent-sessions ready <slug>` (drafting -> planned) and `unready <slug>` (planned -> drafting).
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { RefusedError } from '../errors.ts';
import { commitPlanned, moveBack } from '../planning.ts';
import { safeRename } from '../safe-fs.ts';
import { pushPlanned, publishedOnHub, type PlanPush } from '../planning-push.ts';
import type { LocalMainSync } from '../hub/local.ts';
import { acceptanceCriteria, parseSessionMd } from '../session-md.ts';
import { findSession, readSessionFile, requireSession } from '../sessions.ts';
import { assertSlug } from '../slug.ts';
import type { SessionState } from '../states.ts';

export interface MoveOptions extends CommonOptions {
  slug: string;
  /** Push the commit to the hub's main (rebuilt on it when main has moved). */
  push?: boolean;
}

export interface MoveResult {
  slug: string;
  from: SessionState;
  to: SessionState;
  path: string;
  /** The move's commit; with alreadyOnHub, the hub's last commit that touched the session. */
  commit: string;
  pushed?: PlanPush;
  /**
   * `--push` run again once the move is on the hub's main (e.g. after the printed fix's
   * `git pull --rebase` and `git push`): nothing was committed or pushed.
   */
  alreadyOnHub?: true;
  /** With alreadyOnHub: what became of the local main (fast-forwarded when nothing can be lost). */
  localMain?: LocalMainSync;
}

async function move(options: MoveOptions, from: SessionState, to: SessionState, verb: string): Promise<MoveResult> {
  const slug = assertSlug(options.slug);
  const ctx = await openRepo(options);
  if (options.push && findSession(ctx.layout, slug)?.state === to) {
    // Already moved here: done when the hub's main has it so too; else the refusal below.
    const published = await publishedOnHub(ctx, slug, to);
    if (published) return { slug, from, to, path: ctx.layout.rel.session(to, slug), commit: published.commit, alreadyOnHub: true, localMain: published.localMain };
  }
  const session = requireSession(ctx.layout, slug, [from]);
  if (to === 'planned') {
    const text = readSessionFile(ctx.layout, session, 'SESSION.md');
    if (text === undefined) {
      throw new RefusedError('no-session-md', `${session.dir}/SESSION.md is missing`, { fix: `write ${session.dir}/SESSION.md first` });
    }
    if (acceptanceCriteria(parseSessionMd(text)).length === 0) {
      throw new RefusedError('no-acceptance-criteria', `${session.dir}/SESSION.md has no acceptance criteria`, {
        fix: `add at least one "- [ ] <criterion>" line under "## Acceptance Criteria" in ${session.dir}/SESSION.md, then run ready again`,
      });
    }
  }
  const target = ctx.layout.rel.session(to, slug);
  safeRename(ctx.root, ctx.layout.abs(session.dir), ctx.layout.abs(target));
  const commit = await commitPlanned(ctx, {
    paths: [session.dir, target],
    message: `[${slug}] chore: ${verb} session (${from} -> ${to})`,
    undo: moveBack(ctx, session.dir, target),
  });
  const pushed = options.push ? await pushPlanned(ctx, commit, { slug, state: from, verb }) : undefined;
  return { slug, from, to, path: target, commit, ...(pushed ? { pushed } : {}) };
}

export function ready(options: MoveOptions): Promise<MoveResult> {
  return move(options, 'drafting', 'planned', 'ready');
}

export function unready(options: MoveOptions): Promise<MoveResult> {
  return move(options, 'planned', 'drafting', 'unready');
}

/** How a --push went, for the text output of new, ready and unready. */
export function pushedLines(pushed: PlanPush | undefined): string[] {
  if (!pushed) return [];
  return [
    `Pushed to the hub's main as ${pushed.commit.slice(0, 8)}${pushed.rebuilt ? ' (rebuilt on the moved main)' : ''}.`,
    ...(pushed.localMain.note ? [`note: ${pushed.localMain.note}`] : []),
  ];
}

const text = (r: MoveResult) =>
  r.alreadyOnHub
    ? [
        `${r.slug}: already ${r.to} on the hub's main (commit ${r.commit.slice(0, 8)}); nothing to push.`,
        ...(r.localMain?.note ? [`note: ${r.localMain.note}`] : []),
        ...(r.to === 'planned' ? ['Agents can claim it.'] : []),
      ].join('\n')
    : r.pushed
    ? [`${r.slug}: ${r.from} -> ${r.to}.`, ...pushedLines(r.pushed), ...(r.to === 'planned' ? ['Agents can claim it now.'] : [])].join('\n')
    : `${r.slug}: ${r.from} -> ${r.to} (commit ${r.commit.slice(0, 8)}, not pushed).\nNext: publish it with \`git push\` (refused because main moved? \`git pull --rebase\`, then \`git push\`); \`--push\` does this for you${r.to === 'planned' ? '. Agents can then claim it' : ''}.`;

export const command: Command<MoveOptions, MoveResult> = { run: ready, text };
export const unreadyCommand: Command<MoveOptions, MoveResult> = { run: unready, text };
