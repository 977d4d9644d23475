// Reading and writing the agents' config files: a JSON object merged key by key, or a file we
// own whole. Either way a second run with nothing to change writes no byte.
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readRepoText } from '../safe-fs.ts';

export interface WriteLog {
  created: string[];
  updated: string[];
}

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/**
 * Refuses a symlinked config path (repository data must not make us write elsewhere) and a
 * file where a folder must be (Cline also accepts a single `.clinerules` file).
 */
function refuseSymlink(root: string, rel: string, agent: string): void {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const path = join(root, ...parts.slice(0, i));
    if (!lstatExists(path)) return;
    const stat = lstatSync(path);
    const name = parts.slice(0, i).join('/');
    if (stat.isSymbolicLink()) {
      throw new UsageError('agent-config-symlink', `${name} is a symbolic link; init writes agent config only to plain files inside the repository`, {
        fix: `replace it with a plain ${i === parts.length ? 'file' : 'directory'} and run init --agents ${agent} again`,
      });
    }
    if (i < parts.length && !stat.isDirectory()) {
      throw new UsageError('agent-config-not-a-folder', `${name} is a file, but ${agent}'s config goes in ${rel}`, {
        fix: `move ${name} into a folder of that name (e.g. ${name}/rules.md for Cline's rules) and run init --agents ${agent} again`,
      });
    }
  }
}

export function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * An agent config file's text, or undefined when it is missing: never through a link (refused
 * as for a write), never a FIFO or a device, bounded (repository data, whoever pushed it).
 */
export function readOwned(root: string, rel: string, agent: string): string | undefined {
  refuseSymlink(root, rel, agent);
  return readRepoText(root, join(root, rel));
}

export function readJsonObject(root: string, rel: string, agent: string): JsonObject | undefined {
  const text = readOwned(root, rel, agent);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!isObject(parsed)) throw new Error('not an object');
    return parsed;
  } catch (err) {
    throw new UsageError('bad-agent-settings', `${rel} is not a JSON object (${(err as Error).message})`, {
      fix: `repair ${rel} (or move it away) and run init --agents ${agent} again`,
    });
  }
}

/** Writes `content` unless the file already holds exactly it. */
export function writeOwned(root: string, rel: string, content: string, log: WriteLog, agent: string, mode?: number): void {
  const current = readOwned(root, rel, agent);
  const file = join(root, rel);
  const exists = current !== undefined;
  if (current === content) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content, mode === undefined ? undefined : { mode });
  (exists ? log.updated : log.created).push(rel);
}

export function writeJson(root: string, rel: string, value: JsonObject, log: WriteLog, agent: string): void {
  writeOwned(root, rel, `${JSON.stringify(value, null, 2)}\n`, log, agent);
}

/** True when `entry` (a hook entry of any agent's shape) runs our guard. */
export const isOurs = (entry: unknown, mark: string): boolean => isObject(entry) && Object.values(entry).some((v) => typeof v === 'string' && v.includes(mark));

/**
 * Claude-style hooks (`hooks[event] = [{matcher, hooks: [handler]}]`): for each matcher, our
 * handler is appended to the user's entry for it, or replaced when it changed; nothing else moves.
 */
export function mergeMatcherHooks(settings: JsonObject, event: string, matchers: readonly string[], handler: JsonObject, mark: string): JsonObject {
  const hooks = isObject(settings.hooks) ? settings.hooks : {};
  const entries = (Array.isArray(hooks[event]) ? hooks[event] : []).map((e) => (isObject(e) ? { ...e } : e)) as unknown[];
  for (const matcher of matchers) {
    const entry = entries.find((e): e is JsonObject => isObject(e) && e.matcher === matcher);
    if (!entry) {
      entries.push({ matcher, hooks: [handler] });
      continue;
    }
    const list = Array.isArray(entry.hooks) ? [...(entry.hooks as unknown[])] : [];
    const at = list.findIndex((h) => isOurs(h, mark));
    if (at >= 0) list[at] = handler;
    else list.push(handler);
    entry.hooks = list;
  }
  return { ...settings, hooks: { ...hooks, [event]: entries } };
}

/** Flat hook lists (`hooks[event] = [handler]`, Cursor and Windsurf): ours replaced or appended. */
export function mergeFlatHooks(settings: JsonObject, event: string, handler: JsonObject, mark: string): JsonObject {
  const hooks = isObject(settings.hooks) ? settings.hooks : {};
  const list = [...(Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [])];
  const at = list.findIndex((h) => isOurs(h, mark));
  if (at >= 0) list[at] = handler;
  else list.push(handler);
  return { ...settings, hooks: { ...hooks, [event]: list } };
}

/** Every string value under `hooks` that carries our mark (for doctor). */
export function ourCommands(value: unknown, mark: string, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes(mark)) out.push(value);
  } else if (Array.isArray(value)) value.forEach((v) => ourCommands(v, mark, out));
  else if (isObject(value)) Object.values(value).forEach((v) => ourCommands(v, mark, out));
  return out;
}
