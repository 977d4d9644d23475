// `agent-sessions board [--check] [--local]`: writes `<sessions>/BOARD.md`, one table per state
// and a mermaid chart of the states with their counts. Built from the hub's guarded branch
// after one fetch (its sessions and its history), or with --local from the checkout and HEAD.
// Not a CI check: claims and completions are pushed by the commands without a new board, so a
// committed BOARD.md is behind after each of them (docs/ci.md).
import { existsSync } from 'node:fs';
import { readRepoText, safeWriteFile } from '../safe-fs.ts';
import { renderBoard, type BoardRow } from '../board/render.ts';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { gitRecords } from '../git.ts';
import { STATES } from '../states.ts';
import { status, type StatusResult } from './status.ts';

export interface BoardOptions extends CommonOptions {
  check?: boolean;
  /** Read this checkout (files and HEAD's history) instead of the hub's branch. */
  local?: boolean;
}

export interface BoardResult {
  path: string;
  /** True when the file on disk differs (check) or was rewritten (write). */
  changed: boolean;
  check: boolean;
  counts: Record<string, number>;
  source: StatusResult['source'];
}

/** The newest commit of HEAD that touched each session's folder, in one pass over history. */
export async function lastCommitsBySlug(root: string, sessionsPath: string, rev = 'HEAD'): Promise<Map<string, { hash: string; time: number; subject: string }>> {
  const found = new Map<string, { hash: string; time: number; subject: string }>();
  const pathspecs = STATES.map((s) => `${sessionsPath}/${s}`);
  let current: { hash: string; time: number; subject: string } | undefined;
  try {
    for await (const line of gitRecords(['log', '--no-renames', '--format=%x1e%H%x1f%ct%x1f%s', '--name-only', rev, '--', ...pathspecs], { cwd: root })) {
      if (line.startsWith('\x1e')) {
        const [hash, time, subject] = line.slice(1).split('\x1f');
        current = { hash: hash!, time: Number(time), subject: subject ?? '' };
        continue;
      }
      if (!line || !current || !line.startsWith(`${sessionsPath}/`)) continue;
      const slug = line.slice(sessionsPath.length + 1).split('/')[1];
      if (slug && !found.has(slug)) found.set(slug, current);
    }
  } catch {
    /* no commits yet: no last commits */
  }
  return found;
}

/** The board's markdown as `board` would write it, and where (for the MCP board resource). */
export async function boardMarkdown(options: BoardOptions = {}): Promise<{ text: string; rel: string; file: string; counts: Record<string, number>; root: string; source: StatusResult['source'] }> {
  const ctx = await openRepo(options);
  if (!existsSync(ctx.layout.abs(ctx.layout.rel.sessions))) {
    throw new UsageError('no-layout', `no ${ctx.layout.rel.sessions}/ in ${ctx.root}`, { fix: 'run `agent-sessions init` first' });
  }
  const { sessions, counts, source } = await status({ ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.local ? { local: true } : {}) });
  const last = await lastCommitsBySlug(ctx.root, ctx.config.paths.sessions, source.rev ?? 'HEAD');
  const rows: BoardRow[] = sessions.map((s) => {
    const createdMs = s.created ? Date.parse(s.created) : Number.NaN;
    const since = s.state === 'active' && s.claimedAt !== undefined ? s.claimedAt : Number.isNaN(createdMs) ? undefined : Math.floor(createdMs / 1000);
    const holder = s.holder ? `${s.holder.name ?? '?'} <${s.holder.email ?? '?'}>` : undefined;
    const lastCommit = last.get(s.slug);
    return {
      slug: s.slug,
      state: s.state,
      sinceLabel: s.state === 'active' && s.claimedAt !== undefined ? 'claimed' : 'created',
      ...(s.title ? { title: s.title } : {}),
      ...(holder ? { holder } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(lastCommit ? { lastCommit } : {}),
    };
  });
  const text = `${renderBoard(rows, ctx.config.paths.sessions)}\n`;
  const rel = `${ctx.config.paths.sessions}/BOARD.md`;
  return { text, rel, file: ctx.layout.abs(rel), counts, root: ctx.root, source };
}

export async function board(options: BoardOptions = {}): Promise<BoardResult> {
  const { text, rel, file, counts, root, source } = await boardMarkdown(options);
  const onDisk = readRepoText(root, file); // repository data: no link, FIFO or device, bounded
  const changed = onDisk !== text;
  if (!options.check && changed) safeWriteFile(root, file, text);
  return { path: rel, changed, check: Boolean(options.check), counts, source };
}

export const command: Command<BoardOptions, BoardResult> = {
  run: board,
  exitCode: (r) => (r.check && r.changed ? 1 : 0),
  text: (r) => {
    const note = r.source.note ? `\nnote: ${r.source.note}` : '';
    return boardText(r) + note;
  },
  json: (r) => ({ ok: !(r.check && r.changed), ...r, ...(r.check && r.changed ? { fix: `run \`agent-sessions board\` and commit ${r.path}` } : {}) }),
};

function boardText(r: BoardResult): string {
  if (r.check) {
    return r.changed ? `${r.path} is out of date.\n  fix: run \`agent-sessions board\` and commit ${r.path}` : `${r.path} is up to date.`;
  }
  return r.changed ? `wrote ${r.path}` : `${r.path} already up to date`;
}
