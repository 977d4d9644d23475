// Who a session is: the claiming identity, and the `.session-env` file that carries it.
// Values are shell-quoted BEFORE they reach the template, then the rendered file is parsed
// back: a name holding quotes, $(...), backticks or a newline can never run anything.
import { UsageError } from '../errors.ts';
import type { Git } from '../git.ts';
import type { Layout } from '../layout.ts';
import { parseSessionEnv, sessionEnvProblem, shellQuote } from '../sessions.ts';
import { renderTemplate } from '../templates.ts';
import type { Identity } from './tree.ts';

export interface IdentityOptions {
  agentName?: string;
  agentEmail?: string;
}

/** user.name and user.email from git config, in ONE call (the last value of each wins, as for --get). */
async function gitUser(git: Git): Promise<{ name?: string; email?: string }> {
  // -z: "<key>\n<value>\0" per entry, so a value may hold anything.
  const out = await git.run(['config', '-z', '--get-regexp', '^user\\.(name|email)$'], { okCodes: [1] });
  const found: { name?: string; email?: string } = {};
  for (const entry of out.stdout.split('\0')) {
    const newline = entry.indexOf('\n');
    const key = (newline === -1 ? entry : entry.slice(0, newline)).toLowerCase();
    const value = newline === -1 ? '' : entry.slice(newline + 1).trim();
    if (key === 'user.name') found.name = value || undefined;
    else if (key === 'user.email') found.email = value || undefined;
  }
  return found;
}

/** Flags, else AGENT_NAME / AGENT_EMAIL, else git config user.name / user.email. */
export async function resolveIdentity(git: Git, options: IdentityOptions, env: NodeJS.ProcessEnv = process.env): Promise<Identity> {
  let name = options.agentName ?? (env.AGENT_NAME || undefined);
  let email = options.agentEmail ?? (env.AGENT_EMAIL || undefined);
  if (name === undefined || email === undefined) {
    const user = await gitUser(git);
    name ??= user.name;
    email ??= user.email;
  }
  if (!name || !name.trim()) {
    throw new UsageError('no-identity', 'no agent name: pass --agent-name, set AGENT_NAME, or set git config user.name', {
      fix: 'run again with --agent-name "<your agent name>" --agent-email <address>',
    });
  }
  if (!email || !email.trim()) {
    throw new UsageError('no-identity', 'no agent email: pass --agent-email, set AGENT_EMAIL, or set git config user.email', {
      fix: 'run again with --agent-email <address>',
    });
  }
  if (name.includes('\0') || email.includes('\0') || /[<>\n]/.test(email)) {
    throw new UsageError('bad-identity', `the agent email ${JSON.stringify(email)} holds characters git cannot store`, {
      fix: 'use a plain address such as agent-1@example.com',
    });
  }
  return { name, email };
}

/** What git will record for a name: it drops newlines and angle brackets. */
export function gitSafeName(name: string): string {
  return name.replace(/[\n<>]/g, ' ').replace(/\s+/g, ' ').trim() || 'agent';
}

export const SESSION_ENV_KEYS = ['SESSION_SLUG', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'] as const;

export function sessionEnvValues(slug: string, identity: Identity): Record<string, string> {
  return {
    SESSION_SLUG: slug,
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
}

/** Renders `.session-env` and proves it parses back to exactly the values given. */
export function renderSessionEnv(slug: string, identity: Identity, layout?: Layout): string {
  const text = renderTemplate('session-env.j2', { SESSION_SLUG: shellQuote(slug), USER_NAME: shellQuote(identity.name), USER_EMAIL: shellQuote(identity.email) }, layout);
  const inert = sessionEnvProblem(text);
  if (inert) {
    throw new UsageError('bad-session-env', `the .session-env template would not be inert when sourced: ${inert}`, {
      fix: `check ${layout?.rel.templates ?? 'templates'}/session-env.j2: only comments and export KEY={{ VAR }} lines are allowed`,
    });
  }
  const parsed = parseSessionEnv(text);
  const expected = sessionEnvValues(slug, identity);
  for (const key of SESSION_ENV_KEYS) {
    if (parsed[key] !== expected[key]) {
      throw new UsageError('bad-session-env', `the .session-env template does not round-trip ${key} (got ${JSON.stringify(parsed[key])})`, {
        fix: `check ${layout?.rel.templates ?? 'templates'}/session-env.j2: each value must be written as {{ VAR }} alone after "export KEY="`,
      });
    }
  }
  return text;
}

/** `export KEY='value'` lines for `eval "$(agent-sessions env <slug>)"`. */
export function exportLines(values: Record<string, string>): string {
  return SESSION_ENV_KEYS.filter((k) => values[k] !== undefined)
    .map((k) => `export ${k}=${shellQuote(values[k]!)}`)
    .join('\n');
}
