/**
 * The one error type that leaves persistence/database: a message safe to show an operator or to
 * put in an API 500 reason (never a password, never SQL parameters), and a kind to branch on.
 * Query failures read like Torrust's (`The Sqlite3 query was malformed: …`,
 * `The MySQL query was malformed: …`) so API error bodies stay recognisable.
 */
import { CannotExecuteNotConnectedError, ConnectionIsNotSetError, QueryFailedError } from 'typeorm';

export type DatabaseErrorKind =
  /** `core.database.path` cannot be used (bad MySQL URL). */
  | 'config'
  /** The database cannot be reached or opened, or it has been closed. */
  | 'connection'
  /** Creating or upgrading the tables failed. */
  | 'migration'
  /** A UNIQUE constraint was violated (adding a key that already exists). */
  | 'duplicate'
  /** Any other failed statement. */
  | 'query';

/** Torrust's names for the drivers, as they appear in its error texts. */
export type DriverName = 'Sqlite3' | 'MySQL';

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';

  constructor(
    message: string,
    readonly kind: DatabaseErrorKind,
    /** The driver's error code (`SQLITE_CONSTRAINT`, `ER_DUP_ENTRY`, `ECONNREFUSED`, …) when known. */
    readonly driverCode?: string,
  ) {
    super(message);
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_CON_COUNT_ERROR',
  'SQLITE_CANTOPEN',
  'SQLITE_MISUSE',
]);

interface DriverErrorShape {
  readonly message?: unknown;
  readonly code?: unknown;
}

/** The driver's own error inside a TypeORM error, or the error itself. */
function driverErrorOf(error: unknown): DriverErrorShape {
  if (error instanceof QueryFailedError) return error.driverError as DriverErrorShape;
  if (typeof error === 'object' && error !== null) return error as DriverErrorShape;
  return { message: String(error) };
}

/** The driver's message without anything that could carry a secret: no SQL, no parameters. */
export function describeCause(error: unknown, secrets: readonly string[] = []): string {
  const driverError = driverErrorOf(error);
  let text =
    typeof driverError.message === 'string' && driverError.message !== '' ? driverError.message : 'unknown error';
  if (text === 'unknown error' && typeof driverError.code === 'string') text = driverError.code;
  for (const secret of secrets) {
    // Very short secrets would mangle ordinary words; messages never quote passwords anyway.
    if (secret.length >= 4) text = text.split(secret).join('***');
  }
  return text;
}

export function driverCodeOf(error: unknown): string | undefined {
  const code = driverErrorOf(error).code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps a failed store operation to a DatabaseError worded like Torrust's. */
export function toDatabaseError(error: unknown, driver: DriverName, secrets: readonly string[] = []): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const code = driverCodeOf(error);
  const cause = describeCause(error, secrets);
  if (code === 'ER_DUP_ENTRY' || (code === 'SQLITE_CONSTRAINT' && cause.includes('UNIQUE'))) {
    return new DatabaseError(`The ${driver} query was malformed: ${cause}`, 'duplicate', code);
  }
  if (
    (code !== undefined && CONNECTION_CODES.has(code)) ||
    error instanceof ConnectionIsNotSetError ||
    error instanceof CannotExecuteNotConnectedError ||
    cause === 'Pool is closed.' ||
    /^Connection is not established with/.test(cause)
  ) {
    return new DatabaseError(`Failed to connect to ${driver} database: ${cause}`, 'connection', code);
  }
  return new DatabaseError(`The ${driver} query was malformed: ${cause}`, 'query', code);
}
