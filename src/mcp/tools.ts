// The MCP tools: the CLI's agent verbs, each described for a model that has never read our
// docs: every parameter says what it takes (a range says its `A..B` form), the annotations say
// truthfully what a call may do, and the output schema names the fields a result carries. A
// result is the CLI's --json document plus its exit code; a refusal carries `error` instead.
import { z } from 'zod';
import type { Command } from '../cli/command.ts';

export type Loader = () => Promise<{ command: Command<never, unknown> }>;

export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** True when the tool talks to the hub (another machine), not only to this checkout. */
  openWorldHint: boolean;
}

export interface ToolSpec {
  name: string;
  title: string;
  description: string;
  input: Record<string, z.ZodTypeAny>;
  output: Record<string, z.ZodTypeAny>;
  annotations: Annotations;
  load: Loader;
}

const cwd = z.string().optional().describe('Repository or session worktree to act in (an absolute path). Default: the directory the server was started in.');
const slug = z.string().describe('The session slug: YYYY-MM-DD-words-in-kebab-case (or kb-YYYY-MM-DD-... for a knowledge merge), e.g. 2026-01-31-add-login.');
const identity = {
  agentName: z.string().optional().describe('Name to claim as (recorded in .session-env and the commits). Default: $AGENT_NAME, else git config user.name.'),
  agentEmail: z.string().optional().describe('Email to claim as. Default: $AGENT_EMAIL, else git config user.email.'),
};
const stateEnum = z.enum(['drafting', 'planned', 'active', 'completed', 'abandoned']);

/** Every result: ok, exitCode (0 ok, 1 refused, 2 bad input, 3 lost a race), and on failure the error. */
const common = {
  ok: z.boolean().describe('True when the command did what was asked.'),
  exitCode: z.number().int().describe('The CLI exit code: 0 done, 1 refused or violations, 2 bad input, 3 lost the race (try another session).'),
  error: z
    .object({ code: z.string(), message: z.string(), fix: z.string().optional() })
    .passthrough()
    .optional()
    .describe('Why it failed and the command that fixes it (only when ok is false).'),
};
const claimed = z
  .object({
    slug: z.string(),
    branch: z.string(),
    path: z.string().describe('The worktree (or clone) to work in.'),
    sessionDir: z.string(),
    env: z.record(z.string()).describe('Variables to set before committing (SESSION_SLUG, GIT_AUTHOR_*, GIT_COMMITTER_*).'),
    activate: z.string().describe('The shell line that activates the session.'),
    notes: z.array(z.string()),
  })
  .passthrough();

export const TOOLS: ToolSpec[] = [
  {
    name: 'status',
    title: 'List sessions',
    description: 'List every session with its state, age, holder and whether its claim is stale. Reads this checkout only.',
    input: { cwd, state: stateEnum.optional().describe('Only sessions in this state; default: all states.') },
    output: { ...common, sessions: z.array(z.object({ slug: z.string(), state: z.string() }).passthrough()).optional(), counts: z.record(z.number()).optional(), problems: z.array(z.string()).optional() },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    load: () => import('../commands/status.ts') as never,
  },
  {
    name: 'next',
    title: 'Find (and claim) the next session',
    description: "The oldest planned session on the hub's main, optionally matching a glob. With claim: true it claims it (one commit pushed to the hub, then a worktree); a lost race moves on to the next candidate.",
    input: {
      cwd,
      match: z.string().optional().describe('A glob the slug must match, e.g. "*-login*". Default: any planned session.'),
      claim: z.boolean().optional().describe('Claim the session found (default false: only report it).'),
      clone: z.boolean().optional().describe('Work in a full clone under the clones folder instead of a worktree (default false).'),
      ...identity,
    },
    output: { ...common, slug: z.string().optional(), candidates: z.array(z.string()).optional(), claimed: claimed.optional() },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    load: () => import('../commands/next.ts') as never,
  },
  {
    name: 'claim',
    title: 'Claim a session',
    description:
      "Claim a planned session: one commit pushed to the hub (the push is the lock), then a worktree on session/<slug>. With takeOver and a reason, take over another agent's stale active session (their branch is kept on the hub).",
    input: {
      cwd,
      slug,
      clone: z.boolean().optional().describe('Work in a full clone instead of a worktree (default false).'),
      takeOver: z.boolean().optional().describe("Take over a stale active session held by someone else (default false). Needs reason."),
      reason: z.string().optional().describe('Why you take the session over (with takeOver only); recorded in the worklog.'),
      ...identity,
    },
    output: { ...common, slug: z.string().optional(), branch: z.string().optional(), path: z.string().optional(), env: z.record(z.string()).optional(), activate: z.string().optional(), notes: z.array(z.string()).optional() },
    // A take-over replaces another agent's claim: that is a destructive update.
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    load: () => import('../commands/claim.ts') as never,
  },
  {
    name: 'env',
    title: "A session's identity variables",
    description: "The session's identity variables (SESSION_SLUG, GIT_AUTHOR_*, GIT_COMMITTER_*) to set before committing, read from its .session-env.",
    input: { cwd, slug },
    output: { ...common, slug: z.string().optional(), env: z.record(z.string()).optional(), exports: z.string().optional().describe('The same as shell export lines.') },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    load: () => import('../commands/env.ts') as never,
  },
  {
    name: 'complete',
    title: 'Complete a session',
    description:
      'Squash-merge an active session into main with its patch and drift report, push to the hub, then remove the worktree and the session branch. Needs a clean worktree. Run again after a crash, it finishes the job.',
    input: {
      cwd,
      slug,
      message: z.string().optional().describe('The squash commit description after "[<slug>] <type>: "; default: the session title.'),
      notes: z.string().optional().describe('Final notes appended to SESSION.md in the completed folder.'),
    },
    output: { ...common, slug: z.string().optional(), state: z.literal('completed').optional(), commit: z.string().optional(), resumed: z.boolean().optional(), patch: z.string().optional(), removed: z.array(z.string()).optional() },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    load: () => import('../commands/complete.ts') as never,
  },
  {
    name: 'abandon',
    title: 'Abandon a session',
    description: 'Move an active session to abandoned/ with a reason and push; the branch stays on the hub, the local worktree is removed.',
    input: { cwd, slug, reason: z.string().describe('Why the session is abandoned (one line, required).') },
    output: { ...common, slug: z.string().optional(), state: z.literal('abandoned').optional(), commit: z.string().optional(), branchOnHub: z.string().optional(), removed: z.array(z.string()).optional() },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    load: () => import('../commands/abandon.ts') as never,
  },
  {
    name: 'check',
    title: 'Check the protocol',
    description: 'Validate the tree and the commits of a range (or the whole history) against the protocol; every violation comes back with its fix.',
    input: {
      cwd,
      range: z.string().optional().describe('The commits to check, in git\'s `A..B` form (e.g. origin/main..HEAD); default: what CI would check for this branch.'),
      all: z.boolean().optional().describe('Check the whole history instead of a range (default false).'),
    },
    output: { ...common, violations: z.array(z.object({ rule: z.string().optional(), message: z.string().optional() }).passthrough()).optional() },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    load: () => import('../commands/check.ts') as never,
  },
];
