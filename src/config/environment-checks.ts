/**
 * Bootstrap-time checks of the configuration against the machine, run after loading and before
 * any listener starts: TLS certificate and key files exist and are readable; the SQLite database
 * directory exists (created if missing) and is writable, and an existing database file is
 * readable and writable. MySQL reachability is the persistence layer's business.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Configuration, TlsConfig } from './configuration.js';
import type { ConfigProblem } from './loader.js';

/** Returns every environment problem found (empty when the machine is ready). */
export async function checkEnvironment(config: Configuration, cwd: string = process.cwd()): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const tlsConfigs: Array<[string, TlsConfig | null]> = [
    ...config.httpTrackers.map((http, index): [string, TlsConfig | null] => [`http_trackers[${index}]`, http.tls]),
    ['http_api', config.httpApi?.tls ?? null],
  ];
  for (const [path, tls] of tlsConfigs) {
    if (tls === null) continue;
    await checkReadableFile(problems, `${path}.tsl_config.ssl_cert_path`, tls.certPath, cwd);
    await checkReadableFile(problems, `${path}.tsl_config.ssl_key_path`, tls.keyPath, cwd);
  }
  if (config.core.database.driver === 'sqlite3') await checkSqlite(problems, config.core.database.path, cwd);
  return problems;
}

async function checkReadableFile(problems: ConfigProblem[], path: string, file: string, cwd: string): Promise<void> {
  const absolute = resolve(cwd, file);
  try {
    const info = await stat(absolute);
    if (!info.isFile()) {
      problems.push({ path, value: file, rule: 'is not a regular file' });
      return;
    }
    await access(absolute, constants.R_OK);
  } catch (error) {
    problems.push({ path, value: file, rule: describe(error, 'cannot be read') });
  }
}

const PATH = 'core.database.path';

async function checkSqlite(problems: ConfigProblem[], file: string, cwd: string): Promise<void> {
  // SQLite's special names: nothing on disk to check.
  if (file === ':memory:' || file.startsWith('file:')) return;
  const absolute = resolve(cwd, file);
  const directory = dirname(absolute);
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    problems.push({ path: PATH, value: file, rule: describe(error, `its directory ${directory} cannot be created`) });
    return;
  }
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) {
      problems.push({ path: PATH, value: file, rule: `its directory ${directory} is not a directory` });
      return;
    }
    await access(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    problems.push({ path: PATH, value: file, rule: describe(error, `its directory ${directory} is not writable`) });
    return;
  }
  let exists = true;
  try {
    const info = await stat(absolute);
    if (!info.isFile()) {
      problems.push({ path: PATH, value: file, rule: 'exists but is not a regular file' });
      return;
    }
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      problems.push({ path: PATH, value: file, rule: describe(error, 'cannot be inspected') });
      return;
    }
    exists = false;
  }
  if (!exists) return; // created by the database layer on first start
  try {
    await access(absolute, constants.R_OK | constants.W_OK);
  } catch (error) {
    problems.push({ path: PATH, value: file, rule: describe(error, 'is not readable and writable') });
  }
}

function describe(error: unknown, what: string): string {
  const code = errorCode(error);
  if (code === 'ENOENT') return `${what}: no such file or directory`;
  if (code === 'EACCES' || code === 'EPERM') return `${what}: permission denied`;
  if (code === 'ENOTDIR') return `${what}: a parent is not a directory`;
  if (code === 'EEXIST') return `${what}: a file with that name exists`;
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
