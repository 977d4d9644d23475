// What every command module exports besides its function: how the CLI prints its result
// and which exit code the result means. Commands are plain async functions that tests call.

export interface Command<Options, Result> {
  run(options: Options): Promise<Result>;
  /** Human-readable output (stdout). */
  text(result: Result): string;
  /** Exit code for a result that is not an error (e.g. 1 when violations were found). */
  exitCode?(result: Result): number;
  /** The JSON document for --json; default: the result itself with ok: true. */
  json?(result: Result): unknown;
}
