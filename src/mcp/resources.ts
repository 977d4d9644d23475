// What an agent can read without calling a tool: the board, and each session's SESSION.md,
// worklog and drift by URI; and the prompts that walk an agent through the protocol.
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { openRepo } from '../context.ts';
import { UsageError } from '../errors.ts';
import { isInsideDir } from '../git.ts';
import { worktreePath } from '../hub/local.ts';
import { readRepoText } from '../safe-fs.ts';
import { listSessions, requireSession } from '../sessions.ts';
import { assertSlug } from '../slug.ts';

export const SCHEME = 'agent-sessions';
export const BOARD_URI = `${SCHEME}://board`;
export const sessionUri = (slug: string, file: 'SESSION.md' | 'worklog.md' | 'drift.md') => `${SCHEME}://sessions/${slug}/${file}`;

/** A session file: from the session's own worktree when it has one (newer), else this checkout. */
async function sessionFile(cwd: string, slugValue: unknown, name: 'SESSION.md' | 'worklog.md'): Promise<string> {
  const slug = assertSlug(String(slugValue));
  const ctx = await openRepo({ cwd });
  const session = requireSession(ctx.layout, slug);
  const places = [worktreePath(ctx, slug), ctx.root].map((dir) => ({ dir, file: join(dir, ...session.dir.split('/'), name) }));
  // Repository data may plant a symlink: read plain files only.
  const inside = (p: string) => places.some(({ dir }) => existsSync(dir) && isInsideDir(realpathSync(p), realpathSync(dir)));
  const place = places.find(({ file }) => existsSync(file) && lstatSync(file).isFile() && inside(file));
  const text = place && readRepoText(place.dir, place.file); // and no linked folder above it, bounded
  if (text === undefined) throw new UsageError('no-session-file', `session ${slug} (${session.state}) has no ${name}`, { fix: `read ${sessionUri(slug, 'SESSION.md')} instead` });
  return text;
}

const markdown = (uri: string, text: string) => ({ contents: [{ uri, mimeType: 'text/markdown', text }] });

export function registerResources(server: McpServer, cwd: string): void {
  server.registerResource('board', BOARD_URI, { title: 'Sessions board', description: 'Every session by state, with holder, age and last commit (what `agent-sessions board` writes to BOARD.md).', mimeType: 'text/markdown' }, async (uri) => {
    const { boardMarkdown } = await import('../commands/board.ts');
    return markdown(uri.href, (await boardMarkdown({ cwd })).text);
  });
  const list = async () => {
    const ctx = await openRepo({ cwd });
    return {
      resources: listSessions(ctx.layout).sessions.map((s) => ({ uri: sessionUri(s.slug, 'SESSION.md'), name: `${s.slug} (${s.state})`, mimeType: 'text/markdown' })),
    };
  };
  server.registerResource(
    'session',
    new ResourceTemplate(`${SCHEME}://sessions/{slug}/SESSION.md`, { list }),
    { title: "A session's SESSION.md", description: 'The plan of a session: goal, scope, acceptance criteria. Frozen once the session is claimed.', mimeType: 'text/markdown' },
    async (uri, { slug }) => markdown(uri.href, await sessionFile(cwd, slug, 'SESSION.md')),
  );
  server.registerResource(
    'worklog',
    new ResourceTemplate(`${SCHEME}://sessions/{slug}/worklog.md`, { list: undefined }),
    { title: "A session's worklog", description: 'What happened in a session so far (claims, take-overs, progress notes).', mimeType: 'text/markdown' },
    async (uri, { slug }) => markdown(uri.href, await sessionFile(cwd, slug, 'worklog.md')),
  );
  server.registerResource(
    'drift',
    new ResourceTemplate(`${SCHEME}://sessions/{slug}/drift.md`, { list: undefined }),
    { title: "A session's drift", description: "How the work departs from the frozen SESSION.md: paths touched outside the plan, commits, time taken.", mimeType: 'text/markdown' },
    async (uri, { slug }) => {
      const { drift } = await import('../commands/drift.ts');
      return markdown(uri.href, (await drift({ cwd, slug: assertSlug(String(slug)) })).markdown);
    },
  );
}

const text = (lines: string[]) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text: lines.join('\n') } }] });

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'work-next-session',
    {
      title: 'Work the next session',
      description: 'Claim the oldest planned session and carry it through the protocol to completion.',
      argsSchema: { match: z.string().optional().describe('Only sessions whose slug matches this glob, e.g. "*-login*".') },
    },
    ({ match }) =>
      text([
        'Work the next session of this repository with the agent-sessions tools:',
        `1. Call \`next\` with { claim: true${match ? `, match: ${JSON.stringify(match)}` : ''} }. Exit code 3 means another agent won the race: call it again. No candidate means there is no planned work: stop and say so.`,
        `2. Read the plan: resource ${SCHEME}://sessions/<slug>/SESSION.md. It is frozen: never edit it; put plan changes in active-plan.md and progress in worklog.md in the same folder.`,
        '3. Work only in the returned `path` (the session worktree), with the returned `env` set for every commit (or run its `activate` line in a shell).',
        '4. Stage files by name (never `git add -A` or `.`), commit as `[<slug>] <type>: <description>`, never with --no-verify. If a hook refuses, read its fix and do that.',
        '5. Write what the next agent should know to the knowledge folder: knowledge/sessions/<slug>/learnings.md, committed with the session.',
        '6. Call `check` and fix every violation, then call `complete` with { slug } from a clean worktree. If you cannot finish, call `abandon` with a reason.',
      ]),
  );
  server.registerPrompt(
    'finish-session',
    {
      title: 'Finish a session',
      description: 'Check, record learnings and complete an active session you hold.',
      argsSchema: { slug: z.string().describe('The session slug, YYYY-MM-DD-words.') },
    },
    ({ slug }) =>
      text([
        `Finish session ${slug}:`,
        `1. Read ${sessionUri(slug, 'SESSION.md')} and ${sessionUri(slug, 'drift.md')}: is every acceptance criterion met, and is the drift explained in worklog.md?`,
        `2. Make sure knowledge/sessions/${slug}/learnings.md says what the next agent should know, and everything is committed as [${slug}] <type>: <description>.`,
        `3. Call \`check\`; fix what it reports. Then call \`complete\` with { slug: ${JSON.stringify(slug)} }.`,
      ]),
  );
}
