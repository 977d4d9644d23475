// The Model Context Protocol server: the CLI's agent verbs as MCP tools over stdio (described
// in tools.ts), the board and each session's files as resources and two prompts (resources.ts).
// Each tool calls the SAME command module as the CLI (`command.run`), so a tool result is the
// CLI's --json document as structured content, plus its exit code. A refusal is a tool error
// (isError) that carries the message, the exit code and the fix, never a protocol error.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { describeError, exitCodeOf } from '../errors.ts';
import { packageVersion } from '../package-root.ts';
import { registerPrompts, registerResources } from './resources.ts';
import { TOOLS, type Loader } from './tools.ts';


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

export function createServer(defaultCwd: string): McpServer {
  const server = new McpServer(
    { name: 'agent-sessions', version: packageVersion() },
    { instructions: 'Sessions of work on one git repository, claimed by push. Start with the "work-next-session" prompt, or call `next` with claim: true; read agent-sessions://board for the overview.' },
  );
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: z.object(tool.output).passthrough(), annotations: { title: tool.title, ...tool.annotations } },
      async (args: Record<string, unknown>) => runTool(tool.load, { ...args, cwd: (args.cwd as string | undefined) ?? defaultCwd }),
    );
  }
  registerResources(server, defaultCwd);
  registerPrompts(server);
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
