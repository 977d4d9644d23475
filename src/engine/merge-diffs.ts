// A merge's changes against its parents other than the first, for the history walk
// (facts-history.ts): one long-lived `git diff-tree --stdin`.
import { Channel } from '../git-channel.ts';
import { parseLogRecord } from './log-record.ts';
import type { HistoryChange } from './sessions-model.ts';

/**
 * A commit's changes against a parent other than its first, asked of one `git diff-tree
 * --stdin` kept open for the walk (GIT_FLUSH=1: it answers each line at once). Each question
 * is followed by `<commit> <commit>`, whose answer is the header alone: the end marker.
 */
export class MergeDiffs {
  private channel: Channel | undefined;
  /** Questions asked ahead (`<commit> <parent>`), answered in order while the walk judges. */
  private readonly asked = new Map<string, Promise<HistoryChange[]>>();
  /** Diffs asked ahead, of them used, and asked at judge time (AGENT_SESSIONS_DEBUG=1 prints them). */
  readonly stats = { ahead: 0, used: 0, late: 0 };
  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv | undefined,
  ) {}

  /**
   * Asks now for a diff the walk expects to need a batch later: git answers while the walk
   * judges, instead of one round trip per merge (a third of the merges of a merge-heavy
   * history are judged against a parent other than their first).
   */
  prefetch(commit: string, parent: string): Promise<HistoryChange[]> {
    const key = `${commit} ${parent}`;
    let answer = this.asked.get(key);
    if (!answer) {
      answer = this.ask(commit, parent);
      this.stats.ahead++;
      answer.catch(() => {}); // awaited when judged; no unhandled rejection meanwhile
      this.asked.set(key, answer);
    }
    return answer;
  }

  /** The changes of `commit` against `parent`: asked ahead, or now. */
  changes(commit: string, parent: string): Promise<HistoryChange[]> {
    const key = `${commit} ${parent}`;
    const answer = this.asked.get(key);
    if (answer) {
      this.asked.delete(key);
      this.stats.used++;
      return answer;
    }
    this.stats.late++;
    return this.ask(commit, parent);
  }

  /** Drops what was asked ahead for a commit and not used (its judgement took another way). */
  forget(commit: string, parents: readonly string[]): void {
    for (const parent of parents) this.asked.delete(`${commit} ${parent}`);
  }

  private async ask(commit: string, parent: string): Promise<HistoryChange[]> {
    this.channel ??= new Channel(['diff-tree', '--stdin', '-r', '-z', '--no-renames', '--no-abbrev', '--always', '--format=%x01%H'], this.cwd, { ...(this.env ?? process.env), GIT_FLUSH: '1' });
    const marker = Buffer.from(`\x01${commit}\0`);
    // Searched from where the last search stopped: a diff of many MB arrives in many chunks,
    // and searching all of it again for each one made its cost the square of its size.
    let from = 1;
    const answer = await this.channel.request(`${commit} ${parent}\n${commit} ${commit}\n`, (buffer) => {
      const end = buffer.indexOf(marker, from);
      if (end === -1) {
        from = Math.max(1, buffer.length - marker.length + 1);
        return -1;
      }
      return end + marker.length;
    });
    const text = answer.toString('utf8', 0, answer.length - marker.length);
    // parseLogRecord reads "<ids>\0<an>\0<ae>\0<cn>\0<ce>\0<message>\0<raw entries>".
    const header = text.indexOf('\0');
    return parseLogRecord(`${commit}\0\0\0\0\0\0${text.slice(header + 1)}`)?.changes ?? [];
  }

  close(): void {
    this.channel?.close();
  }
}
