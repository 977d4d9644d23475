// Every agent's adapter, fed that agent's documented payload for each shape of the guard table,
// answers in that agent's block format; an unreadable payload is blocked (fail closed), and
// another agent's payload under the wrong --agent is blocked saying what is wrong and which
// --agent fits (never an "undefined" in the message, never read as a harmless unknown tool).
import { describe, expect, it } from 'vitest';
import { judgePayload } from '../../src/commands/guard.ts';
import { detectAdapter } from '../../src/guard/adapters/index.ts';
import { makeRepo } from '../helpers/repo.ts';
import { agentPayloads, PROTOCOLS } from './protocols.ts';
import { SHELL_SHAPES, WRITE_SHAPES } from './shapes.ts';

const repo = makeRepo();
repo.git('checkout', '-q', '-b', 'session/2026-01-01-x');
const dir = repo.dir;

const PAYLOADS = agentPayloads(dir);
const CASES = Object.fromEntries(Object.entries(PROTOCOLS).map(([agent, protocol]) => [agent, { ...PAYLOADS[agent]!, ...protocol }]));

describe.each(Object.entries(CASES))('guard --agent %s', (agent, c) => {
  it.each(SHELL_SHAPES)('shell $command -> $decision', ({ command, decision, id }) => {
    const r = judgePayload(JSON.stringify(c.shell(command)), agent, '/nonexistent');
    expect(r.decision).toBe(decision);
    if (id) expect(r.findings.map((f) => f.id)).toContain(id);
    (decision === 'block' ? c.blocked : c.allowed)(r.reply);
  });
  it.each(WRITE_SHAPES)('write $path -> $decision', ({ path, decision }) => {
    const r = judgePayload(JSON.stringify(c.write(path)), agent, '/nonexistent');
    expect(r.decision).toBe(decision);
    (decision === 'block' ? c.blocked : c.allowed)(r.reply);
  });
  it('is detected from its payload without --agent', () => {
    expect(detectAdapter(c.shell('ls') as Record<string, unknown>).name).toBe(agent);
    expect(judgePayload(JSON.stringify(c.shell('git add .')), undefined, '/x').agent).toBe(agent);
  });
  it('blocks a payload it cannot read (fail closed), in its own format', () => {
    for (const text of ['not json', '[]', '{}']) {
      const r = judgePayload(text, agent, dir);
      expect(r.decision).toBe('block');
      c.blocked(r.reply);
    }
  });
});

describe('Claude Code: every tool the matchers name', () => {
  it.each([
    ['PowerShell', { command: 'git add -A' }],
    ['NotebookEdit', { notebook_path: `${dir}/_AGENTS/sessions/active/2026-01-01-x/SESSION.md`, new_source: 'x' }],
    ['MultiEdit', { file_path: `${dir}/_AGENTS/sessions/active/2026-01-01-x/SESSION.md`, edits: [] }],
  ])('%s is judged', (tool, input) => {
    const r = judgePayload(JSON.stringify({ hook_event_name: 'PreToolUse', cwd: dir, tool_name: tool, tool_input: input }), 'claude', dir);
    expect(r.reply.exitCode).toBe(2);
  });
  it('a shell tool without a command string is blocked, an unknown tool passes', () => {
    const call = (tool_name: string, tool_input: object) => JSON.stringify({ hook_event_name: 'PreToolUse', tool_name, tool_input });
    expect(judgePayload(call('Bash', { command: ['git', 'add', '.'] }), 'claude', dir).decision).toBe('block');
    expect(judgePayload(call('Bash', {}), 'claude', dir).decision).toBe('block');
    expect(judgePayload(call('Read', { file_path: 'x' }), 'claude', dir).decision).toBe('allow');
  });
});

describe("another agent's payload under --agent <name>", () => {
  it.each(Object.keys(CASES))('--agent %s: no message says "undefined"', (agent) => {
    for (const [other, c] of Object.entries(CASES)) {
      for (const payload of [c.shell('git add .'), c.write('_AGENTS/sessions/active/2026-01-01-x/SESSION.md')]) {
        const r = judgePayload(JSON.stringify(payload), agent, dir);
        expect(`${r.note ?? ''} ${r.reply.stdout} ${r.reply.stderr}`, `${other}'s payload`).not.toMatch(/undefined/);
      }
    }
  });
  it('Windsurf given a Claude Code payload: blocked (exit 2), naming what is missing and the --agent that fits', () => {
    const r = repo.cli(['guard', '--agent', 'windsurf'], { input: JSON.stringify(CASES.claude!.shell('git status')) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot read the Windsurf tool call: the payload has no agent_action_name and no tool_info: it is not a Windsurf Cascade hook payload/);
    expect(r.stderr).toMatch(/fix: the payload has the shape of Claude Code's hook: give Claude Code's hook `agent-sessions guard --agent claude`/);
    expect(r.stderr).not.toMatch(/undefined/);
    const json = repo.cli(['guard', '--agent', 'windsurf', '--json'], { input: JSON.stringify(CASES.claude!.shell('git status')) });
    expect(json.code).toBe(2);
    expect(json.json).toMatchObject({ agent: 'windsurf', decision: 'block', note: expect.stringMatching(/not a Windsurf Cascade hook payload/) });
  });
  // Copilot reads the tool_name/tool_input form too (its PascalCase hooks), so it judges Claude
  // Code's and Codex's calls itself; every other pair is a wiring mistake.
  const readsTheirForm: Record<string, string[]> = { copilot: ['claude', 'codex'] };
  it.each(Object.keys(CASES))('--agent %s: a blocked call in any other agent\'s shape is blocked in its own format, never read as a harmless tool', (agent) => {
    for (const [other, c] of Object.entries(CASES)) {
      if (other === agent) continue;
      for (const payload of [c.shell('git push --force origin main'), c.write('_AGENTS/sessions/active/2026-01-01-x/SESSION.md'), c.shell('git status')]) {
        const r = judgePayload(JSON.stringify(payload), agent, dir);
        const label = `${other}'s ${JSON.stringify(payload).slice(0, 80)}`;
        if (readsTheirForm[agent]?.includes(other)) {
          if (!JSON.stringify(payload).includes('git status')) expect(r.decision, label).toBe('block');
          continue;
        }
        expect(r.decision, label).toBe('block');
        CASES[agent]!.blocked(r.reply);
        expect(r.note, label).toMatch(/^cannot read the .+ tool call: the payload/);
        expect(`${r.reply.stdout}${r.reply.stderr}`, label).toContain(`\`agent-sessions guard --agent ${other}\``);
      }
    }
  });
  it("--agent copilot: Claude Code's MultiEdit and Codex's apply_patch, tools Copilot does not know, are blocked as another agent's", () => {
    for (const [other, payload] of [
      ['claude', { hook_event_name: 'PreToolUse', cwd: dir, tool_name: 'MultiEdit', tool_input: { file_path: `${dir}/_AGENTS/sessions/active/2026-01-01-x/SESSION.md`, edits: [] } }],
      ['codex', CASES.codex!.write('_AGENTS/sessions/active/2026-01-01-x/SESSION.md')],
    ] as const) {
      const r = judgePayload(JSON.stringify(payload), 'copilot', dir);
      expect(r.decision).toBe('block');
      expect(r.note).toMatch(/GitHub Copilot knows no tool "(MultiEdit|apply_patch)", which (Claude Code|Codex CLI) judges/);
      expect(JSON.parse(r.reply.stdout).permissionDecisionReason).toContain(`--agent ${other}`);
    }
  });
  it.each([
    ['cursor', (r: { code: number; stdout: string }) => (expect(r.code).toBe(0), JSON.parse(r.stdout).agent_message as string)],
    ['gemini', (r: { code: number; stderr: string }) => (expect(r.code).toBe(2), r.stderr)],
  ])("--agent %s given Claude Code's `git push --force origin main`: blocked in its protocol, the fix names --agent claude", (agent, answer) => {
    const r = repo.cli(['guard', '--agent', agent], { input: JSON.stringify(CASES.claude!.shell('git push --force origin main')) });
    const text = answer(r);
    expect(text).toMatch(/cannot read the (Cursor|Gemini CLI) tool call: the payload/);
    expect(text).toContain('`agent-sessions guard --agent claude`');
  });
  it('a payload of no known shape keeps the wiring fix', () => {
    const r = judgePayload('{}', 'windsurf', dir);
    expect(r.note).toMatch(/no agent_action_name and no tool_info/);
    expect(r.reply.stderr).toMatch(/fix: check that the hook is wired as `agent-sessions init --agents windsurf` writes it/);
  });
});

describe('guard CLI', () => {
  it('answers Cursor in JSON on stdout with exit 0', () => {
    const r = repo.cli(['guard', '--agent', 'cursor'], { input: JSON.stringify(CASES.cursor!.shell('git add .')) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).permission).toBe('deny');
  });
  it('refuses an unknown --agent with the list', () => {
    const r = repo.cli(['guard', '--agent', 'nonesuch'], { input: '{}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/claude\|codex/);
  });
});
