// `git cat-file --batch` as one long-lived process: objects by id or <rev>:<path>, many per
// write. Shared by the history walk's blob reader and the hub's tree builder.
import { Channel } from '../git-channel.ts';

export interface CatFileObject {
  id: string;
  type: string;
  content: Buffer;
}

// cat-file --batch: "<sha> <type> <size>\n<content>\n", or one line for a name it cannot
// answer ("<name> missing", "<name> ambiguous"). The name is the caller's text, spaces and all
// (a sessions folder named "AI sessions"): only a line that is exactly an object's header is
// one, or a missing name with three words was read as a header with size NaN, and the reader
// waited for content that never came.
const HEADER = /^([0-9a-f]{40,64}) ([a-z]+) (\d+)$/;

const headerOf = (buffer: Buffer, newline: number) => HEADER.exec(buffer.toString('latin1', 0, newline));

const answer = (buffer: Buffer) => {
  const newline = buffer.indexOf(10);
  if (newline === -1) return -1;
  const header = headerOf(buffer, newline);
  if (!header) return newline + 1;
  const end = newline + 1 + Number(header[3]) + 1;
  return buffer.length >= end ? end : -1;
};

function objectOf(answer: Buffer): CatFileObject | undefined {
  const newline = answer.indexOf(10);
  const header = headerOf(answer, newline);
  if (!header) return undefined; // "<name> missing" (or ambiguous)
  return { id: header[1]!, type: header[2]!, content: answer.subarray(newline + 1, answer.length - 1) };
}

export class CatFile {
  private channel: Channel | undefined;
  private readonly cwd: string;
  private readonly env: NodeJS.ProcessEnv | undefined;

  constructor(cwd: string, env?: NodeJS.ProcessEnv) {
    this.cwd = cwd;
    this.env = env;
  }

  /**
   * The objects `names` name, in order; undefined for one git cannot find. Names a process
   * calls missing are asked once more of a new process, which certainly sees packs fetched
   * after the first one started (`again: false`: not asked again, where a missing name is an
   * answer, as a hub's pushed objects are all there when its hook starts).
   */
  async read(names: readonly string[], { again = true }: { again?: boolean } = {}): Promise<(CatFileObject | undefined)[]> {
    if (names.length === 0) return [];
    this.channel ??= new Channel(['cat-file', '--batch'], this.cwd, this.env);
    const found = (await this.channel.requestMany(names, answer)).map(objectOf);
    const missing = names.filter((_, i) => found[i] === undefined);
    if (missing.length === 0 || !again) return found;
    this.channel.close();
    this.channel = new Channel(['cat-file', '--batch'], this.cwd, this.env);
    const answered = (await this.channel.requestMany(missing, answer)).map(objectOf);
    let next = 0;
    return found.map((object) => object ?? answered[next++]);
  }

  close(): void {
    this.channel?.close();
    this.channel = undefined;
  }
}
