/**
 * Exit codes and error types of the console tools (Torrust's tracker CLI I/O contract): 0 the
 * command ran, 1 a runtime failure (tracker unreachable, bad answer, or a checker run with failed
 * checks), 2 bad arguments or an invalid checker configuration. Errors carry their exit code, so
 * the entry point prints one message on stderr and never a stack trace.
 */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad command-line arguments: printed with a usage hint, exit 2 (as clap does). */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The usage line of the (sub)command that was being parsed. */
    readonly usage: string,
  ) {
    super(message);
  }
}

/** The checker configuration is missing or invalid: JSON envelope on stderr, exit 2. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(
    /** Where the configuration came from: the file path or `TORRUST_CHECKER_CONFIG`. */
    readonly source: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request to a tracker failed (timeout, refused, unparsable answer): `Error: …` on stderr, exit 1. */
export class TrackerRequestError extends Error {
  override readonly name = 'TrackerRequestError';

  constructor(
    message: string,
    /** True when the failure was a timeout (the monitor counts those apart). */
    readonly timeout = false,
  ) {
    super(message);
  }
}

/** The message of anything thrown, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
