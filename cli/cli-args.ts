/**
 * Argument parsing shared by the `chronos` commands, and the error a command throws for a mistake
 * the user can fix from the command line: the CLI prints its message as one line (naming the fix)
 * and exits with 2, without a stack trace.
 */
/** A mistake in how a command was called (a bad flag, a missing file, a taken port), with the fix in its message. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** True for the errors Node's `parseArgs` throws (unknown option, missing value, stray argument). */
function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/**
 * Runs `parse` (a `parseArgs` call of `chronos <command>`); an unknown option, a missing value or
 * a stray argument becomes a {@link CliUsageError} that points at `--help`.
 */
export function withUsageErrors<R>(command: string, parse: () => R): R {
  try {
    return parse();
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    const first = (error.message.split('. ')[0] ?? 'bad arguments').replace(/^Unknown option '(.*)'$/, 'unknown option $1');
    throw new CliUsageError(`${first} (chronos ${command}): see \`chronos ${command} --help\` for its options`);
  }
}
