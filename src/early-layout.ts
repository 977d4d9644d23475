// The layout paths of a config object read raw, for the git processes started before the
// config is validated (hooks/pre-receive-early.ts, check/check-early.ts): config.ts's
// defaults and its path normalisation, nothing validated (the command validates the config
// right after; a path the validation refuses only means a process nobody takes).

/** config.ts's repoPath, as the paths reach the walk: no trailing slash, no leading "./". */
const repoPath = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value.replace(/\/+$/, '').replace(/^\.\//, '') : undefined;

/** `paths` of a raw config: the sessions folder and the lock file, or undefined when unusable. */
export function layoutPathsOf(paths: unknown): { sessionsDir: string; lockPath: string } | undefined {
  if (paths !== undefined && (paths === null || typeof paths !== 'object')) return undefined;
  const { sessions, lockFile } = (paths ?? {}) as { sessions?: unknown; lockFile?: unknown };
  // config.ts's defaults: sessions in _AGENTS/sessions, the lock file inside it.
  const sessionsDir = sessions === undefined ? '_AGENTS/sessions' : repoPath(sessions);
  if (sessionsDir === undefined) return undefined;
  const lockPath = lockFile === undefined ? `${sessionsDir}/sessions.lock` : repoPath(lockFile);
  if (lockPath === undefined) return undefined;
  return { sessionsDir, lockPath };
}
