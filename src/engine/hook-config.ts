// The config for hooks, without loading zod on every commit. The whole config is validated
// by src/config.ts (zod) as everywhere else, but its result is cached in the repository's
// common git dir, keyed by the exact text of the config sources and the known rule ids; a
// hook whose config did not change since the last validation reuses that result. Loading
// zod costs ~20 ms, a sixth of a hook's budget. Any doubt (unreadable cache, invalid JSON,
// changed text) goes through the full validation, which throws the usual UsageError.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { commonDirOf, gitDirOf } from '../git.ts';
import { readBounded } from '../safe-fs.ts';

const CONFIG_FILE = 'agent-sessions.config.json';
const CACHE_VERSION = 1;

/** Larger than any config source; the full loader reports a bigger one. */
const SOURCE_MAX_BYTES = 16 << 20;

/** The file's text, null when absent, undefined when it is a link, too big, a FIFO or unreadable. */
function readText(file: string): string | null | undefined {
  try {
    // Read as src/config.ts reads it (no link followed, bounded): a link to /dev/zero must
    // not hang the hook here before the full loader gets to refuse it.
    return readBounded(file, SOURCE_MAX_BYTES, () => new Error('not a regular file of a readable size')) ?? null;
  } catch {
    return undefined;
  }
}

/** The text that decides the config: the config file, and package.json's "agentSessions" value. */
function sourceKey(top: string, ruleIds: readonly string[] | undefined): string | undefined {
  const configText = readText(join(top, CONFIG_FILE));
  const pkgText = readText(join(top, 'package.json'));
  // unreadable or not a plain file: the full loader says what is wrong with it
  if (configText === undefined || pkgText === undefined) return undefined;
  let pkgKey: string | null = null;
  if (pkgText !== null) {
    try {
      const pkg = JSON.parse(pkgText.startsWith('\uFEFF') ? pkgText.slice(1) : pkgText) as Record<string, unknown> | null;
      if (pkg && typeof pkg === 'object' && 'agentSessions' in pkg) pkgKey = JSON.stringify(pkg.agentSessions);
    } catch {
      return undefined; // let the full loader report the broken package.json
    }
  }
  return JSON.stringify([CACHE_VERSION, configText, pkgKey, ruleIds ?? null]);
}

export async function loadHookConfig(top: string, ruleIds?: readonly string[]): Promise<Config> {
  const key = sourceKey(top, ruleIds);
  let cacheFile: string | undefined;
  try {
    cacheFile = join(commonDirOf(gitDirOf(top)), 'agent-sessions', 'config-cache.json');
  } catch {
    cacheFile = undefined;
  }
  if (key !== undefined && cacheFile && existsSync(cacheFile)) {
    try {
      const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { key: string; config: Config };
      if (cached.key === key) return cached.config;
    } catch {
      /* a torn or foreign cache: validate again */
    }
  }
  const { loadConfig } = await import('../config.ts');
  const config = loadConfig(top, ruleIds);
  if (key !== undefined && cacheFile) {
    try {
      mkdirSync(join(cacheFile, '..'), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ key, config }));
      renameSync(tmp, cacheFile); // atomic: concurrent hooks never read half a file
    } catch {
      /* read-only repository: just validate every time */
    }
  }
  return config;
}
