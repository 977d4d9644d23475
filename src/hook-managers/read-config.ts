// Reading a hook manager's (or commitlint's) config: repository data, so never through a link,
// never a FIFO or a device, never more than a bound. Kept apart from entries.ts: the commit
// hooks' bundle imports it (team commitlint) and must not pull in the package-root lookup.
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readBounded } from '../safe-fs.ts';

/** A hook manager's config is repository data: read only as a plain file (no link, FIFO or device) under 1 MB. */
export const CONFIG_LIMIT = 1024 * 1024;

export function readManagerConfig(top: string, rel: string): string {
  const refuse = () =>
    new UsageError('bad-hook-manager-config', `${rel} is not a plain file under ${CONFIG_LIMIT} bytes (a link, a FIFO, a device or too large)`, {
      fix: `replace ${rel} with a plain file, then run \`agent-sessions install-hooks\``,
    });
  let text: string | undefined;
  try {
    text = readBounded(join(top, rel), CONFIG_LIMIT, refuse);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw refuse();
  }
  if (text === undefined) throw refuse();
  return text;
}
