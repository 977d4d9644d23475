// The MCP server driven by the SDK's own client over stdio (`node dist/cli.js mcp`): list the
// tools, claim the next session, complete it; a refusal is a tool error with exit code and fix.
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
