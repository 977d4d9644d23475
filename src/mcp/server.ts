// The Model Context Protocol server: the CLI's agent verbs as MCP tools over stdio. Each tool
// calls the SAME command module as the CLI (`command.run`), so a tool result is the CLI's
// --json document as structured content, plus its exit code. A refusal is a tool error
// (isError) that carries the message, the exit code and the fix, never a protocol error.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import type { Command } from '../cli/command.ts';
import { describeError, exitCodeOf } from '../errors.ts';
import { packageVersion } from '../package-root.ts';

type Loader = () => Promise<{ command: Command<never, unknown> }>;

export interface ToolOutcome {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent: Record<string, unknown>;
  isError: boolean;
}

/** Runs one command as the CLI would, but returns the outcome instead of printing it. */
export async function runTool(load: Loader, options: Record<string, unknown>): Promise<ToolOutcome> {
  try {
    const { command } = await load();
    const result = await command.run(options as never);
    const exitCode = command.exitCode?.(result) ?? 0;
    const doc = (command.json ? command.json(result) : { ok: exitCode === 0, ...(result as object) }) as Record<string, unknown>;
    const text = command.text(result) || JSON.stringify(doc);
    return { content: [{ type: 'text', text }], structuredContent: { ...doc, exitCode }, isError: exitCode !== 0 };
  } catch (err) {
    const error = describeError(err);
    const exitCode = exitCodeOf(err);
    const text = `${error.message}${error.fix ? `\nfix: ${error.fix}` : ''}\n(exit code ${exitCode})`;
    return { content: [{ type: 'text', text }], structuredContent: { ok: false, exitCode, error }, isError: true };
  }
}

const cwd = z.string().optional().describe('repository (or worktree) to act in; default: where the server was started');
const slug = z.string().describe('the session slug, YYYY-MM-DD-words');
const identity = {
  agentName: z.string().optional().describe('identity for the session (default: $AGENT_NAME, else git config user.name)'),
  agentEmail: z.string().optional().describe('identity for the session (default: $AGENT_EMAIL, else git config user.email)'),
};

interface ToolSpec {
  name: string;
  description: string;
  input: Record<string, z.ZodTypeAny>;
  load: Loader;
  readOnly?: boolean;
}

export const TOOLS: ToolSpec[] = [
  { name: 'status', description: 'List every session with its state, age, holder and whether a claim is stale.', input: { cwd, state: z.enum(['drafting', 'planned', 'active', 'completed', 'abandoned']).optional() }, load: () => import('../commands/status.ts') as never, readOnly: true },
  {
    name: 'next',
    description: 'The oldest planned session on the hub (optionally matching a glob). With claim: true, claim it; a lost race moves on to the next one.',
    input: { cwd, match: z.string().optional(), claim: z.boolean().optional(), clone: z.boolean().optional(), ...identity },
    load: () => import('../commands/next.ts') as never,
  },
  {
    name: 'claim',
    description: 'Claim a planned session: one commit pushed to the hub (the push is the lock), then a worktree on session/<slug>. takeOver + reason take over a stale active session.',
    input: { cwd, slug, clone: z.boolean().optional(), takeOver: z.boolean().optional(), reason: z.string().optional(), ...identity },
    load: () => import('../commands/claim.ts') as never,
  },
  { name: 'env', description: "The session's identity variables (SESSION_SLUG, GIT_AUTHOR_*, GIT_COMMITTER_*) to set before committing.", input: { cwd, slug }, load: () => import('../commands/env.ts') as never, readOnly: true },
  {
    name: 'complete',
    description: 'Squash-merge an active session into main with its patch and drift report, push, remove the worktree. Needs a clean worktree.',
    input: { cwd, slug, message: z.string().optional(), notes: z.string().optional() },
    load: () => import('../commands/complete.ts') as never,
  },
  { name: 'abandon', description: 'Move an active session to abandoned/ with a reason, push.', input: { cwd, slug, reason: z.string() }, load: () => import('../commands/abandon.ts') as never },
  {
    name: 'check',
    description: 'Validate the tree and the commits of a range (or the whole history) against the protocol; violations come back with their fixes.',
    input: { cwd, range: z.string().optional(), all: z.boolean().optional() },
    load: () => import('../commands/check.ts') as never,
    readOnly: true,
  },
];

export function createServer(defaultCwd: string): McpServer {
  const server = new McpServer({ name: 'agent-sessions', version: packageVersion() });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: tool.input, ...(tool.readOnly ? { annotations: { readOnlyHint: true } } : {}) },
      async (args: Record<string, unknown>) => runTool(tool.load, { ...args, cwd: (args.cwd as string | undefined) ?? defaultCwd }),
    );
  }
  return server;
}

/** Serves until the client closes stdin. Nothing else may write to stdout: it is the protocol. */
export async function serveStdio(defaultCwd: string): Promise<void> {
  console.log = (...args: unknown[]) => console.error(...args);
  const server = createServer(defaultCwd);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close().catch(() => {});
}
