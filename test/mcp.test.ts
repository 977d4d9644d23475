// The MCP server driven by the SDK's own client over stdio (`node dist/cli.js mcp`): list the
// tools with their descriptions and annotations, read the board and session resources, get a
// prompt, claim the next session, complete it; a refusal is a tool error with exit code and fix.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { CLI, cloneAgent, git, makeHub, makeRepo } from './helpers/repo.ts';

describe('mcp server', () => {
  it('lists the tools, claims the next session and completes it', async () => {
    const planner = makeRepo();
    for (const slug of ['2026-01-01-first-task', '2026-01-02-second-task']) {
      expect(planner.cli(['new', slug, '--criteria', 'it works']).code).toBe(0);
      expect(planner.cli(['ready', slug]).code).toBe(0);
    }
    const hub = makeHub(planner);
    const agent = cloneAgent(hub, 'alice');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp'],
      cwd: agent.dir,
      env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'agent-sessions-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['abandon', 'check', 'claim', 'complete', 'env', 'next', 'status']);
      expect(tools.find((t) => t.name === 'claim')!.inputSchema.properties).toHaveProperty('slug');

      // Every tool describes itself: a description, a title, truthful annotations, an output
      // schema, and a description on every parameter (a range says its A..B form).
      for (const tool of tools) {
        expect(tool.description, tool.name).toBeTruthy();
        expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean), openWorldHint: expect.any(Boolean) });
        expect(tool.outputSchema?.properties, tool.name).toHaveProperty('exitCode');
        for (const [param, schema] of Object.entries(tool.inputSchema.properties ?? {})) expect((schema as { description?: string }).description, `${tool.name}.${param}`).toBeTruthy();
      }
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      expect(byName.status!.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
      expect(byName.complete!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
      expect((byName.check!.inputSchema.properties!.range as { description: string }).description).toMatch(/`A\.\.B`/);

      // Resources: the board, and a session's SESSION.md by URI (listed through its template).
      const board = await client.readResource({ uri: 'agent-sessions://board' });
      expect((board.contents[0] as { text: string }).text).toContain('2026-01-01-first-task');
      const listed = await client.listResources();
      expect(listed.resources.map((r) => r.uri)).toContain('agent-sessions://sessions/2026-01-02-second-task/SESSION.md');
      const templates = await client.listResourceTemplates();
      expect(templates.resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(['agent-sessions://sessions/{slug}/SESSION.md', 'agent-sessions://sessions/{slug}/drift.md', 'agent-sessions://sessions/{slug}/worklog.md']);
      const sessionMd = await client.readResource({ uri: 'agent-sessions://sessions/2026-01-02-second-task/SESSION.md' });
      expect((sessionMd.contents[0] as { text: string }).text).toContain('it works');
      await expect(client.readResource({ uri: 'agent-sessions://sessions/..%2F..%2Fetc/SESSION.md' })).rejects.toThrow();

      // Prompts: the walk through the protocol.
      const prompts = await client.listPrompts();
      expect(prompts.prompts.map((p) => p.name).sort()).toEqual(['finish-session', 'work-next-session']);
      const prompt = await client.getPrompt({ name: 'work-next-session', arguments: { match: '*-task' } });
      const promptText = (prompt.messages[0]!.content as { text: string }).text;
      expect(promptText).toMatch(/Call `next` with \{ claim: true, match: "\*-task" \}/);
      expect(promptText).toMatch(/`complete`/);

      const refused = await client.callTool({ name: 'claim', arguments: { slug: '../etc' } });
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toMatchObject({ ok: false, exitCode: 2, error: { code: expect.any(String), fix: expect.any(String) } });

      const next = await client.callTool({ name: 'next', arguments: { claim: true } });
      expect(next.isError, JSON.stringify(next.content)).toBe(false);
      const claimed = (next.structuredContent as { claimed: { slug: string; path: string; env: Record<string, string> } }).claimed;
      expect(claimed.slug).toBe('2026-01-01-first-task');
      expect(git(hub, 'show', `main:_AGENTS/sessions/sessions.lock`)).toContain(claimed.slug);

      const env = await client.callTool({ name: 'env', arguments: { slug: claimed.slug } });
      expect((env.structuredContent as { env: Record<string, string> }).env.GIT_AUTHOR_EMAIL).toBe('alice@example.test');

      writeFileSync(join(claimed.path, 'feature.txt'), 'done\n');
      git(claimed.path, 'add', 'feature.txt');
      const commit = spawnSync('git', ['commit', '-q', '-m', `[${claimed.slug}] feat: the feature`], { cwd: claimed.path, env: { ...process.env, ...claimed.env }, encoding: 'utf8' });
      expect(commit.status, commit.stderr).toBe(0);

      const worklog = await client.readResource({ uri: `agent-sessions://sessions/${claimed.slug}/worklog.md` });
      expect((worklog.contents[0] as { text: string }).text).toMatch(/claimed by alice/);
      const drift = await client.readResource({ uri: `agent-sessions://sessions/${claimed.slug}/drift.md` });
      expect((drift.contents[0] as { text: string }).text).toContain('feature.txt');

      const done = await client.callTool({ name: 'complete', arguments: { slug: claimed.slug } });
      expect(done.isError, JSON.stringify(done.content)).toBe(false);
      expect(done.structuredContent).toMatchObject({ ok: true, exitCode: 0, slug: claimed.slug, state: 'completed' });
      expect(git(hub, 'show', 'main:feature.txt')).toBe('done\n');

      const status = await client.callTool({ name: 'status', arguments: {} });
      const sessions = (status.structuredContent as { sessions: Array<{ slug: string; state: string }> }).sessions;
      expect(sessions.find((s) => s.slug === claimed.slug)?.state).toBe('completed');
    } finally {
      await client.close();
    }
  });
});
