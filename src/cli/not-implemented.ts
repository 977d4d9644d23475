import { UsageError } from '../errors.ts';
import type { Command } from './command.ts';

/** Placeholder for a verb whose module has not landed yet. */
export function notImplemented(verb: string): Command<unknown, never> {
  return {
    run: async () => {
      throw new UsageError('not-implemented', `\`${verb}\` is not available in this version`, { fix: 'upgrade agent-sessions' });
    },
    text: () => '',
  };
}
