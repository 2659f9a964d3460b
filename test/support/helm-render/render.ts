/**
 * Builds and runs the Go chart renderer (main.go beside this file) for the tests: `helm template`
 * without a helm binary, offline, on Debian's Go and sprig packages. `prepareRenderer()` says why
 * it cannot run (no `go`, no sprig sources) instead of throwing, so suites can skip with a reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's GOPATH with golang-github-masterminds-sprig-dev and the yaml packages. */
export const DEBIAN_GOPATH = '/usr/share/gocode';
export const APT_PACKAGES =
  'golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Renderer {
  /** Runs the renderer with these arguments (chart directory already given). */
  run(args: readonly string[]): RunResult;
  /** Runs it and returns stdout, throwing with stderr when it fails. */
  output(args: readonly string[]): string;
  /** Parses a YAML file (every document) into JSON values. */
  yamlToJson(file: string): unknown[];
  dispose(): void;
}

export type Prepared = { ok: true; renderer: Renderer } | { ok: false; reason: string };

function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: DEBIAN_GOPATH,
    GOFLAGS: '',
    GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'nest-bittorrent-tracker-go-cache'),
  };
}

/** Compiles the renderer into a temporary directory. */
export function prepareRenderer(root: string, chartDir: string): Prepared {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    return { ok: false, reason: `no \`go\` on PATH (apt-get install ${APT_PACKAGES})` };
  }
  for (const pkg of ['github.com/Masterminds/sprig', 'gopkg.in/yaml.v2', 'gopkg.in/yaml.v3']) {
    if (!existsSync(join(DEBIAN_GOPATH, 'src', pkg))) {
      return { ok: false, reason: `${pkg} is not in ${DEBIAN_GOPATH} (apt-get install ${APT_PACKAGES})` };
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'helm-render-'));
  const binary = join(dir, 'helm-render');
  const build = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: join(root, 'test/support/helm-render'),
    env: goEnv(),
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    // A compile error is a test failure, not a reason to skip.
    throw new Error(`go build of the chart renderer failed:\n${build.stderr}${build.stdout}`);
  }
  const run = (args: readonly string[]): RunResult => {
    const result = spawnSync(binary, ['-chart', chartDir, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const output = (args: readonly string[]): string => {
    const result = run(args);
    if (result.status !== 0) throw new Error(`helm-render ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  };
  return {
    ok: true,
    renderer: {
      run,
      output,
      yamlToJson: (file) => JSON.parse(output(['-yaml2json', file])) as unknown[],
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    },
  };
}
