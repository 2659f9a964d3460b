/**
 * `core.database.path` for the MySQL driver: `mysql://user:password@host:port/database`, as
 * Torrust reads it (user, password and database may be percent-encoded; port defaults to 3306).
 * Also the masking used whenever the path is printed: the password becomes `***`, as Torrust's
 * `mask_secrets` does.
 */
import { DatabaseError } from './database-error.js';

export interface MysqlConnectionParts {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

const DEFAULT_MYSQL_PORT = 3306;

/**
 * The path with its password replaced by `***`. Works on malformed URLs too (it never throws),
 * so an error about a bad URL can still quote it safely.
 */
export function maskDatabasePath(path: string): string {
  const scheme = path.indexOf('://');
  if (scheme < 0) return path;
  const rest = path.slice(scheme + 3);
  const at = rest.lastIndexOf('@');
  if (at < 0) return path;
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(':');
  if (colon < 0) return path;
  return `${path.slice(0, scheme + 3)}${userInfo.slice(0, colon)}:***${rest.slice(at)}`;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`bad percent-encoding in "${text.replace(/./g, '*')}"`);
  }
}

/** Parses a MySQL URL; rejects anything it cannot use with a DatabaseError of kind `config`. */
export function parseMysqlUrl(path: string): MysqlConnectionParts {
  const problem = (reason: string): DatabaseError =>
    new DatabaseError(
      `core.database.path: "${maskDatabasePath(path)}" is not a usable MySQL URL ` +
        `(expected mysql://user:password@host:port/database): ${reason}`,
      'config',
    );
  let url: URL;
  try {
    url = new URL(path);
  } catch {
    throw problem('it cannot be parsed as a URL');
  }
  if (url.protocol !== 'mysql:') throw problem(`the scheme must be "mysql", not "${url.protocol.replace(/:$/, '')}"`);
  if (url.hostname === '') throw problem('the host is missing');
  if (url.search !== '') throw problem('query parameters are not supported');
  const database = url.pathname.replace(/^\//, '');
  if (database === '' || database.includes('/')) throw problem('the database name is missing');
  try {
    return {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? DEFAULT_MYSQL_PORT : Number(url.port),
      user: decode(url.username),
      password: decode(url.password),
      database: decode(database),
    };
  } catch (error) {
    throw problem((error as Error).message);
  }
}
