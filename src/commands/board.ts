// `agent-sessions board [--check]`: writes `<sessions>/BOARD.md`, one table per state and a
// mermaid chart of the states with their counts. Built from the work tree and main's history
// only (never remote-tracking refs, which differ between machines), so CI can check it.
import { existsSync, readFileSync } from 'node:fs';
import { safeWriteFile } from '../safe-fs.ts';
import { renderBoard, type BoardRow } from '../board/render.ts';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { gitRecords } from '../git.ts';
import { STATES } from '../states.ts';
import { status } from './status.ts';

export interface BoardOptions extends CommonOptions {
  check?: boolean;
}

export interface BoardResult {
  path: string;
  /** True when the file on disk differs (check) or was rewritten (write). */
  changed: boolean;
  check: boolean;
  counts: Record<string, number>;
}

/** The newest commit of HEAD that touched each session's folder, in one pass over history. */
export async function lastCommitsBySlug(root: string, sessionsPath: string): Promise<Map<string, { hash: string; time: number; subject: string }>> {
  const found = new Map<string, { hash: string; time: number; subject: string }>();
  const pathspecs = STATES.map((s) => `${sessionsPath}/${s}`);
  let current: { hash: string; time: number; subject: string } | undefined;
  try {
    for await (const line of gitRecords(['log', '--no-renames', '--format=%x1e%H%x1f%ct%x1f%s', '--name-only', 'HEAD', '--', ...pathspecs], { cwd: root })) {
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
export async function boardMarkdown(options: BoardOptions = {}): Promise<{ text: string; rel: string; file: string; counts: Record<string, number>; root: string }> {
  const ctx = await openRepo(options);
  if (!existsSync(ctx.layout.abs(ctx.layout.rel.sessions))) {
    throw new UsageError('no-layout', `no ${ctx.layout.rel.sessions}/ in ${ctx.root}`, { fix: 'run `agent-sessions init` first' });
  }
  const { sessions, counts } = await status(options.cwd ? { cwd: options.cwd } : {});
  const last = await lastCommitsBySlug(ctx.root, ctx.config.paths.sessions);
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
  return { text, rel, file: ctx.layout.abs(rel), counts, root: ctx.root };
}

export async function board(options: BoardOptions = {}): Promise<BoardResult> {
  const { text, rel, file, counts, root } = await boardMarkdown(options);
  const onDisk = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const changed = onDisk !== text;
  if (!options.check && changed) safeWriteFile(root, file, text);
  return { path: rel, changed, check: Boolean(options.check), counts };
}

export const command: Command<BoardOptions, BoardResult> = {
  run: board,
  exitCode: (r) => (r.check && r.changed ? 1 : 0),
  text: (r) => {
    if (r.check) {
      return r.changed
        ? `${r.path} is out of date.\n  fix: run \`agent-sessions board\` and commit ${r.path}`
        : `${r.path} is up to date.`;
    }
    return r.changed ? `wrote ${r.path}` : `${r.path} already up to date`;
  },
  json: (r) => ({ ok: !(r.check && r.changed), ...r, ...(r.check && r.changed ? { fix: `run \`agent-sessions board\` and commit ${r.path}` } : {}) }),
};
