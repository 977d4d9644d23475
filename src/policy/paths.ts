// What the repository's *policy* is: the files that decide how every later commit is judged
// or what the lifecycle commands write. Pure string work on the configured paths, shared by
// the policy-files rule, the hub's pinned policy and `check`'s policy-change finding.
import type { Config } from '../config.ts';
import { CONFIG_FILE } from '../config-file.ts';

export const PACKAGE_JSON = 'package.json';

/** The policy folders under the sessions folder (templates overrides, wrapper scripts). */
export function policyFolders(config: Config): { templates: string; bin: string } {
  return { templates: `${config.paths.sessions}/_templates`, bin: `${config.paths.sessions}/_bin` };
}

/**
 * Whether a path is policy by itself. package.json is policy only through its
 * "agentSessions" key, which needs the content: see agentSessionsKey.
 */
export function isPolicyPath(path: string, config: Config): boolean {
  if (path === CONFIG_FILE) return true;
  const { templates, bin } = policyFolders(config);
  return path === templates || path.startsWith(`${templates}/`) || path === bin || path.startsWith(`${bin}/`);
}

/** The "agentSessions" key of a package.json text as canonical JSON; undefined when absent or unreadable. */
export function agentSessionsKey(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as unknown;
    if (!data || typeof data !== 'object' || !('agentSessions' in data)) return undefined;
    return JSON.stringify((data as Record<string, unknown>).agentSessions);
  } catch {
    return '(unreadable)';
  }
}
