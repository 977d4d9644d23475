// `agent-sessions mcp`: serves the CLI's agent verbs as Model Context Protocol tools over
// stdio (src/mcp/server.ts). Returns when the client closes the connection.
import type { Command } from '../cli/command.ts';
import type { CommonOptions } from '../context.ts';

export type McpOptions = CommonOptions;

export interface McpResult {
  served: true;
}

export async function mcp(options: McpOptions = {}): Promise<McpResult> {
  const { serveStdio } = await import('../mcp/server.ts');
  await serveStdio(options.cwd ?? process.cwd());
  return { served: true };
}

export const command: Command<McpOptions, McpResult> = {
  run: mcp,
  // stdout belongs to the protocol: print nothing when the session ends.
  text: () => '',
};
