/**
 * Runs the package's bin/ launchers as a user would, against the code under test: bin/ is
 * copied into a temp directory whose `dist` is a symlink to build/src (what the test runner has
 * just compiled, in dist's layout). The copy cannot live inside build/, whose cleanup follows
 * symlinks.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from build/test/support). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface LauncherRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A temp directory with bin/ and dist → build/src; remove it when done. */
export function prepareLaunchers(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  symlinkSync(join(ROOT, 'build/src'), join(dir, 'dist'), 'dir');
  // The launchers are ES modules, as in the package (whose package.json says so).
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  return dir;
}

/** Runs `bin/<program>.js` from `dir`; resolves when it exits (killed after 30 s). */
export function runLauncher(
  dir: string,
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<LauncherRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, 'bin', `${program}.js`), ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
