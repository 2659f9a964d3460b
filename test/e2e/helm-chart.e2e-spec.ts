/**
 * Packaging: the Dockerfile, its entry script and HEALTHCHECK, compose.yaml and the Helm chart in
 * helm/nest-bittorrent-tracker. No Docker engine or helm binary is needed: the Dockerfile is
 * parsed; the entry script and the HEALTHCHECK command run for real against the compiled tracker;
 * the chart is rendered by test/support/helm-render (Go text/template + sprig + Helm's functions,
 * like `helm template`), and every rendered object is checked for the structure Kubernetes needs
 * (selectors, ports, probes, Secrets, volumes, security context), its tracker.toml loaded by the
 * tracker's own configuration loader, and the values validated against values.schema.json.
 * `helm lint` and `helm template` run too when a helm binary is on PATH.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfiguration } from '../../src/config/loader.js';
import type { Configuration } from '../../src/config/configuration.js';
import { missingDeclaredProperties, validate, type Schema } from '../support/helm-render/json-schema.js';
import { validateKubernetesObject } from '../support/helm-render/kubernetes-schemas.js';
import { prepareRenderer, type Renderer } from '../support/helm-render/render.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../..');
const MAIN = join(HERE, '../../src/main.js');
const CHART_NAME = 'nest-bittorrent-tracker';
const CHART = join(ROOT, 'helm', CHART_NAME);
const FIXTURES = join(ROOT, 'test/fixtures/helm');
const ENTRY = join(ROOT, 'share/container/entry.sh');
const RELEASE = 'tracker';
const NAMESPACE = 'bittorrent';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Dockerfile

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly stage: number;
}

interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Splits a Dockerfile into instructions (continuations joined, comments dropped) and stages. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && /^\s*#/.test(line)) continue;
    if (current !== '' && /^\s*#/.test(line)) continue; // comment inside a continuation
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/s.exec(line) as RegExpExecArray;
    const keyword = (match[1] as string).toUpperCase();
    const args = (match[2] as string).replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      assert.ok(from, `FROM ${args}`);
      stages.push({ image: from[1] as string, name: from[2], instructions: [] });
    } else if (keyword !== 'ARG' || stages.length > 0) {
      assert.ok(stages.length > 0, `${keyword} before the first FROM`);
      stages.at(-1)?.instructions.push({ keyword, args, stage: stages.length - 1 });
    }
  }
  return stages;
}

function runs(stage: Stage): string {
  return stage.instructions
    .filter((i) => i.keyword === 'RUN')
    .map((i) => i.args)
    .join(' && ');
}

function only(stage: Stage, keyword: string): Instruction {
  const found = stage.instructions.filter((i) => i.keyword === keyword);
  assert.equal(found.length, 1, `one ${keyword} in the stage FROM ${stage.image}`);
  return found[0] as Instruction;
}

/** The HEALTHCHECK's exec-form command (a JSON array after CMD). */
function healthcheckCommand(stages: Stage[]): string[] {
  const healthcheck = only(stages.at(-1) as Stage, 'HEALTHCHECK').args;
  const json = /\bCMD\s+(\[.*\])$/.exec(healthcheck);
  assert.ok(json, `HEALTHCHECK uses the exec form: ${healthcheck}`);
  return JSON.parse(json[1] as string) as string[];
}

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);

describe('Dockerfile', () => {
  const runtime = stages.at(-1) as Stage;

  it('is multi-stage on official node:20 Debian images, with a slim runtime', () => {
    assert.ok(stages.length >= 2, 'at least a build and a runtime stage');
    for (const stage of stages) assert.match(stage.image, /^node:20-bookworm(-slim)?$/, `FROM ${stage.image}`);
    assert.equal(runtime.image, 'node:20-bookworm-slim');
    // The native addon (sqlite3) is built where python3, make and g++ exist: the full image.
    for (const stage of stages.slice(0, -1)) {
      if (/npm ci/.test(runs(stage))) assert.equal(stage.image, 'node:20-bookworm', `${stage.name} builds sqlite3`);
    }
  });

  it('builds with the same commands CI runs (npm ci, npm run build) and ships production dependencies only', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const ciInstall = /npm ci(?: --[a-z-]+)*/.exec(ci)?.[0];
    assert.ok(ciInstall, '.ci/run runs npm ci');
    assert.match(ci, /npm run (--silent )?build/, '.ci/run runs the build script');

    const builder = stages.find((s) => /npm run build/.test(runs(s)));
    assert.ok(builder, 'a stage runs npm run build');
    const builderRuns = runs(builder);
    assert.ok(builderRuns.includes(ciInstall), `the build stage runs "${ciInstall}" like CI`);
    assert.ok(
      builderRuns.indexOf('npm ci') < builderRuns.indexOf('npm run build'),
      'dependencies are installed before the build',
    );
    assert.ok(
      builder.instructions.some((i) => i.keyword === 'COPY' && /package-lock\.json/.test(i.args)),
      'the lockfile is copied for npm ci',
    );

    const production = stages.find(
      (s) => /npm ci [^&]*--omit=dev/.test(runs(s)) || /npm prune [^&]*--omit=dev/.test(runs(s)),
    );
    assert.ok(production, 'production dependencies come from npm ci --omit=dev (or npm prune --omit=dev)');
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    assert.ok(
      copies.some((c) => c.startsWith(`--from=${production.name} `) && /node_modules/.test(c)),
      'node_modules from the production stage',
    );
    assert.ok(
      copies.some((c) => c.startsWith(`--from=${builder.name} `) && /\/app\/dist/.test(c)),
      'dist from the build stage',
    );
    assert.ok(
      copies.some((c) => /^package\.json\b/.test(c)),
      'package.json ("type": "module") is in the image',
    );
    assert.ok(
      copies.some((c) => /^share\b/.test(c)),
      'the default configurations are in the image',
    );
    assert.doesNotMatch(runs(runtime), /npm (ci|install|run build|test)/, 'nothing is built in the runtime stage');
  });

  it('runs as the non-root uid 1000 under tini, with the entry script', () => {
    const user = only(runtime, 'USER').args;
    assert.match(user, /^1000(:1000)?$/, 'numeric non-root user, so runAsNonRoot can verify it');
    assert.match(runs(runtime), /apt-get install [^&]*\btini\b/, 'tini from Debian');
    const entrypoint = JSON.parse(only(runtime, 'ENTRYPOINT').args) as string[];
    assert.deepEqual(entrypoint, ['/usr/bin/tini', '--', '/usr/local/bin/entry.sh']);
    assert.deepEqual(JSON.parse(only(runtime, 'CMD').args), ['node', '--max-semi-space-size=4', 'dist/main.js']);
    assert.ok(
      runtime.instructions.some(
        (i) => i.keyword === 'COPY' && i.args === 'share/container/entry.sh /usr/local/bin/entry.sh',
      ),
    );
    assert.match(only(runtime, 'WORKDIR').args, /^\/app$/);
  });

  it("follows Torrust's container layout: config path, volumes, exposed ports", () => {
    const env = runtime.instructions
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    assert.match(env, /TORRUST_TRACKER_CONFIG_TOML_PATH=\/etc\/torrust\/tracker\/tracker\.toml/);
    const volumes = JSON.parse(only(runtime, 'VOLUME').args) as string[];
    assert.deepEqual(
      [...volumes].sort(),
      ['/etc/torrust/tracker', '/var/lib/torrust/tracker', '/var/log/torrust/tracker'].sort(),
    );
    const exposed = only(runtime, 'EXPOSE')
      .args.split(' ')
      .map((p) => (p.includes('/') ? p : `${p}/tcp`));
    assert.deepEqual(exposed.sort(), ['1212/tcp', '1313/tcp', '6969/udp', '7070/tcp']);
    const run = runs(runtime);
    for (const dir of ['/etc/torrust/tracker', '/var/lib/torrust/tracker', '/var/log/torrust/tracker']) {
      assert.ok(run.includes(dir), `${dir} is created`);
    }
    assert.match(run, /chown -R 1000:1000/, 'the writable directories belong to uid 1000');
  });

  it('has a HEALTHCHECK on the health check API that needs nothing but node', () => {
    const command = healthcheckCommand(stages);
    assert.equal(command[0], 'node');
    assert.equal(command[1], '-e');
    assert.match(command[2] as string, /\/health_check/);
    assert.match(command[2] as string, /HEALTH_CHECK_API_PORT\|\|1313/);
    assert.match(only(runtime, 'HEALTHCHECK').args, /--interval=\S+ .*--timeout=\S+/);
  });

  it('copies only files that exist and are not excluded by .dockerignore', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const must of ['node_modules', 'dist', 'build', '.git', 'test', 'helm']) {
      assert.ok(ignored.includes(must), `.dockerignore excludes ${must}`);
    }
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))) {
        const sources = copy.args.split(' ').slice(0, -1);
        for (const source of sources) {
          assert.ok(existsSync(join(ROOT, source)), `COPY ${source}: exists`);
          const top = source.split('/')[0] as string;
          assert.ok(!ignored.includes(top) && !ignored.includes(source), `COPY ${source}: not in .dockerignore`);
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Entry script and HEALTHCHECK, run for real

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function entry(env: NodeJS.ProcessEnv, command: string[]): Run {
  const result = spawnSync('sh', [ENTRY, ...command], {
    env: { PATH: process.env.PATH, TORRUST_TRACKER_APP_DIR: ROOT, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function runHealthcheck(port: number): Promise<number | null> {
  const [, ...args] = healthcheckCommand(stages);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, HEALTH_CHECK_API_PORT: String(port) },
      stdio: 'ignore',
    });
    child.on('exit', (code) => resolve(code));
  });
}

describe('container entry script', () => {
  const sqliteDefault = readFileSync(join(ROOT, 'share/default/config/tracker.container.sqlite3.toml'), 'utf8');
  const mysqlDefault = readFileSync(join(ROOT, 'share/default/config/tracker.container.mysql.toml'), 'utf8');

  it('is valid POSIX sh', () => {
    const check = spawnSync('sh', ['-n', ENTRY], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.match(readFileSync(ENTRY, 'utf8'), /^#!\/bin\/sh\n/);
  });

  it('installs the SQLite default when no configuration is mounted, creates the database directory and execs the command', () => {
    const dir = tempDir('entry-');
    const config = join(dir, 'etc/torrust/tracker/tracker.toml');
    const database = join(dir, 'var/lib/torrust/tracker/database');
    const run = entry({ TORRUST_TRACKER_CONFIG_TOML_PATH: config, TORRUST_TRACKER_DEFAULT_DATABASE_DIR: database }, [
      'sh',
      '-c',
      'echo "pid $$ args $0"',
      'ran',
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(config, 'utf8'), sqliteDefault);
    assert.ok(existsSync(database), 'database directory created');
    assert.match(run.stdout, /args ran/);
  });

  it('chooses the MySQL default from TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER', () => {
    const dir = tempDir('entry-');
    const config = join(dir, 'tracker.toml');
    const database = join(dir, 'database');
    const run = entry(
      {
        TORRUST_TRACKER_CONFIG_TOML_PATH: config,
        TORRUST_TRACKER_DEFAULT_DATABASE_DIR: database,
        TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER: 'mysql',
      },
      ['true'],
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(config, 'utf8'), mysqlDefault);
    assert.ok(!existsSync(database), 'no SQLite directory for MySQL');
  });

  it('keeps a mounted configuration and creates the directory of an overridden SQLite path', () => {
    const dir = tempDir('entry-');
    const config = join(dir, 'tracker.toml');
    writeFileSync(config, '# mine\n');
    const run = entry(
      {
        TORRUST_TRACKER_CONFIG_TOML_PATH: config,
        TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__PATH: join(dir, 'custom/db/tracker.db'),
      },
      ['true'],
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(config, 'utf8'), '# mine\n');
    assert.ok(existsSync(join(dir, 'custom/db')));
  });

  it('falls back to the shipped default when the configuration path cannot be written', () => {
    const dir = tempDir('entry-');
    writeFileSync(join(dir, 'not-a-directory'), '');
    const run = entry(
      {
        TORRUST_TRACKER_CONFIG_TOML_PATH: join(dir, 'not-a-directory/tracker.toml'),
        TORRUST_TRACKER_DEFAULT_DATABASE_DIR: join(dir, 'database'),
      },
      ['sh', '-c', 'printf %s "$TORRUST_TRACKER_CONFIG_TOML_PATH"'],
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, join(ROOT, 'share/default/config/tracker.container.sqlite3.toml'));
  });

  it('refuses an unknown driver with a clear message', () => {
    const dir = tempDir('entry-');
    const run = entry(
      {
        TORRUST_TRACKER_CONFIG_TOML_PATH: join(dir, 'tracker.toml'),
        TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER: 'postgres',
      },
      ['true'],
    );
    assert.equal(run.status, 1);
    assert.match(run.stderr, /must be sqlite3 or mysql, not "postgres"/);
    assert.ok(!existsSync(join(dir, 'tracker.toml')));
  });

  it('starts the tracker with the installed default; the HEALTHCHECK passes; SIGTERM exits 0', async () => {
    const dir = tempDir('entry-run-');
    const health = await freePort();
    assert.equal(await runHealthcheck(health), 1, 'HEALTHCHECK fails while nothing answers');
    const child = spawn('sh', [ENTRY, process.execPath, MAIN], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        TORRUST_TRACKER_APP_DIR: ROOT,
        TORRUST_TRACKER_CONFIG_TOML_PATH: join(dir, 'etc/tracker.toml'),
        TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__PATH: join(dir, 'lib/database/sqlite3.db'),
        TORRUST_TRACKER_CONFIG_OVERRIDE_UDP_TRACKERS__0__BIND_ADDRESS: '127.0.0.1:0',
        TORRUST_TRACKER_CONFIG_OVERRIDE_HTTP_TRACKERS__0__BIND_ADDRESS: '127.0.0.1:0',
        TORRUST_TRACKER_CONFIG_OVERRIDE_HTTP_API__BIND_ADDRESS: '127.0.0.1:0',
        TORRUST_TRACKER_CONFIG_OVERRIDE_HEALTH_CHECK_API__BIND_ADDRESS: `127.0.0.1:${health}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let healthy = false;
      const deadline = Date.now() + 30_000;
      while (!healthy && Date.now() < deadline && child.exitCode === null) {
        healthy = (await runHealthcheck(health)) === 0;
        if (!healthy) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(healthy, `the HEALTHCHECK command passes against the running tracker:\n${output}`);
      assert.equal(readFileSync(join(dir, 'etc/tracker.toml'), 'utf8'), sqliteDefault);
      assert.ok(existsSync(join(dir, 'lib/database/sqlite3.db')), 'SQLite database created');
      // `exec` replaced the shell: the signal reaches the tracker itself.
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes object shapes used by the checks

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Meta;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Probe {
  httpGet: { path: string; port: string | number };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}
interface Container {
  name: string;
  image: string;
  ports: Array<{ name: string; containerPort: number; protocol: string }>;
  env: EnvVar[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface Volume {
  name: string;
  configMap?: { name: string };
  emptyDir?: { sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string };
}
interface PodSpec {
  containers: Container[];
  volumes: Volume[];
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number; fsGroup?: number };
  terminationGracePeriodSeconds: number;
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
}
interface Workload extends Manifest {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    serviceName?: string;
    strategy?: { type: string };
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: Array<{
      metadata: { name: string };
      spec: { accessModes: string[]; resources: { requests: { storage: string } }; storageClassName?: string };
    }>;
  };
}
interface ServicePort {
  name: string;
  port: number;
  targetPort: string | number;
  protocol: string;
}
interface Service extends Manifest {
  spec: {
    type?: string;
    clusterIP?: string;
    selector: Record<string, string>;
    ports: ServicePort[];
    externalTrafficPolicy?: string;
  };
}
interface Secret extends Manifest {
  data: Record<string, string>;
}
interface ConfigMap extends Manifest {
  data: Record<string, string>;
}
interface ServiceMonitor extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    namespaceSelector: { matchNames: string[] };
    endpoints: Array<{ port: string; path: string; interval: string; scrapeTimeout: string }>;
  };
}
interface Selecting extends Manifest {
  spec: { selector: { matchLabels: Record<string, string> } };
}
interface Ingress extends Manifest {
  spec: {
    ingressClassName?: string;
    rules: Array<{
      host: string;
      http: {
        paths: Array<{
          path: string;
          pathType: string;
          backend: { service: { name: string; port: { name: string } } };
        }>;
      };
    }>;
  };
}

/** apiVersion → the kinds the chart may render with it. */
const KNOWN_KINDS: Record<string, readonly string[]> = {
  v1: ['ConfigMap', 'Secret', 'Service', 'ServiceAccount'],
  'apps/v1': ['Deployment', 'StatefulSet'],
  'policy/v1': ['PodDisruptionBudget'],
  'networking.k8s.io/v1': ['Ingress'],
  'monitoring.coreos.com/v1': ['ServiceMonitor'],
};
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

function isSubset(subset: Record<string, string>, of: Record<string, string>): boolean {
  return Object.entries(subset).every(([k, v]) => of[k] === v);
}

class Rendered {
  constructor(
    readonly objects: Manifest[],
    readonly values: Record<string, unknown>,
  ) {}

  all<T extends Manifest>(kind: string): T[] {
    return this.objects.filter((o) => o.kind === kind) as T[];
  }

  maybe<T extends Manifest>(kind: string, name: string): T | undefined {
    return this.objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
  }

  get<T extends Manifest>(kind: string, name: string): T {
    const found = this.maybe<T>(kind, name);
    assert.ok(
      found,
      `${kind} ${name} is rendered (have: ${this.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')})`,
    );
    return found;
  }

  workload(): Workload {
    const workloads = this.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet') as Workload[];
    assert.equal(workloads.length, 1, 'exactly one Deployment or StatefulSet');
    return workloads[0] as Workload;
  }

  container(): Container {
    const containers = this.workload().spec.template.spec.containers;
    assert.equal(containers.length, 1);
    return containers[0] as Container;
  }

  env(name: string): EnvVar | undefined {
    return this.container().env.find((e) => e.name === name);
  }

  trackerToml(): string {
    const volume = this.workload().spec.template.spec.volumes.find((v) => v.name === 'config');
    assert.ok(volume?.configMap, 'the config volume is a ConfigMap');
    const toml = this.get<ConfigMap>('ConfigMap', volume.configMap.name).data['tracker.toml'];
    assert.ok(toml, 'the ConfigMap holds tracker.toml');
    return toml;
  }

  /**
   * The configuration the tracker would run with: the ConfigMap's tracker.toml plus the
   * container's environment, Secret references resolved (from `external` when the Secret is not
   * the chart's), read by the tracker's own loader.
   */
  trackerConfiguration(external: Record<string, string> = {}): Configuration {
    const env: NodeJS.ProcessEnv = { TORRUST_TRACKER_CONFIG_TOML: this.trackerToml() };
    for (const variable of this.container().env) {
      if (variable.value !== undefined) env[variable.name] = variable.value;
      const ref = variable.valueFrom?.secretKeyRef;
      if (!ref) continue;
      const secret = this.maybe<Secret>('Secret', ref.name);
      const encoded = secret?.data[ref.key];
      if (encoded !== undefined) env[variable.name] = Buffer.from(encoded, 'base64').toString('utf8');
      else if (external[ref.key] !== undefined) env[variable.name] = external[ref.key];
      else assert.ok(ref.optional, `${variable.name}: ${ref.name}/${ref.key} is not known`);
    }
    const loaded = loadConfiguration(env, ROOT);
    assert.ok(loaded.ok, `tracker.toml + environment is a valid configuration: ${JSON.stringify(loaded)}`);
    return loaded.config;
  }
}

/**
 * The structural checks every rendering must pass: what `kubectl apply --dry-run=server` and
 * a running cluster would catch first.
 */
function checkManifests(r: Rendered): void {
  const seen = new Set<string>();
  for (const o of r.objects) {
    const where = `${o.kind}/${o.metadata?.name}`;
    assert.ok(KNOWN_KINDS[o.apiVersion]?.includes(o.kind), `${where}: apiVersion ${o.apiVersion} and kind go together`);
    assert.doesNotThrow(() => validateKubernetesObject(o), `${where}: valid against the Kubernetes schema`);
    assert.match(o.metadata.name, DNS_SUBDOMAIN, `${where}: name`);
    assert.ok(o.metadata.name.length <= 63, `${where}: name at most 63 characters`);
    if (o.kind === 'Service') assert.match(o.metadata.name, DNS_LABEL, `${where}: a Service name is a DNS label`);
    assert.ok(o.metadata.namespace, `${where}: namespace set`);
    const key = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    assert.ok(!seen.has(key), `${key} rendered twice`);
    seen.add(key);
    const labels = o.metadata.labels ?? {};
    assert.equal(labels['app.kubernetes.io/name'], CHART_NAME, `${where}: name label`);
    assert.equal(labels['app.kubernetes.io/instance'], RELEASE, `${where}: instance label`);
    assert.equal(labels['app.kubernetes.io/managed-by'], 'Helm', `${where}: managed-by label`);
    assert.match(labels['helm.sh/chart'] ?? '', /^nest-bittorrent-tracker-\d+\.\d+\.\d+/, `${where}: chart label`);
    for (const [k, v] of Object.entries(labels)) {
      assert.match(k, LABEL_KEY, `${where}: label key ${k}`);
      assert.equal(typeof v, 'string', `${where}: label ${k} is a string`);
      assert.match(v, LABEL_VALUE, `${where}: label ${k}=${v}`);
      assert.ok(v.length <= 63, `${where}: label ${k} at most 63 characters`);
    }
    for (const [k, v] of Object.entries(o.metadata.annotations ?? {})) {
      assert.equal(typeof v, 'string', `${where}: annotation ${k} is a string`);
    }
    if (o.kind === 'Secret' || o.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries((o as Secret).data ?? {})) {
        assert.match(k, SECRET_KEY, `${where}: data key ${k}`);
        assert.equal(typeof v, 'string', `${where}: data ${k} is a string`);
        if (o.kind === 'Secret') assert.match(v, /^[A-Za-z0-9+/]*={0,2}$/, `${where}: data ${k} is base64`);
      }
    }
  }

  const workload = r.workload();
  const pod = workload.spec.template;
  const podLabels = pod.metadata.labels;
  assert.ok(Object.keys(workload.spec.selector.matchLabels).length >= 2, 'selector is specific');
  assert.ok(isSubset(workload.spec.selector.matchLabels, podLabels), 'the selector matches the pod labels');
  assert.ok(Number.isInteger(workload.spec.replicas) && workload.spec.replicas >= 0);

  const container = r.container();
  assert.match(container.image, /^\S+(:[\w.-]+|@sha256:[a-f0-9]{64})$/, 'image reference');
  const portNames = new Set<string>();
  for (const port of container.ports) {
    assert.match(port.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, `port name ${port.name}`);
    assert.ok(port.name.length <= 15, `port name ${port.name} at most 15 characters`);
    assert.ok(!portNames.has(port.name), `port name ${port.name} unique`);
    portNames.add(port.name);
    assert.ok(['TCP', 'UDP'].includes(port.protocol));
    assert.ok(Number.isInteger(port.containerPort) && port.containerPort > 0 && port.containerPort < 65536);
  }
  const portByName = new Map(container.ports.map((p) => [p.name, p]));

  // Probes: the API listener, no token.
  assert.equal(container.livenessProbe?.httpGet.path, '/health/live');
  assert.equal(container.readinessProbe?.httpGet.path, '/health/ready');
  assert.equal(container.startupProbe?.httpGet.path, '/health/live');
  for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
    assert.equal(probe?.httpGet.port, 'api');
    assert.equal(portByName.get('api')?.protocol, 'TCP');
  }

  // Security: non-root, read-only root, nothing to escalate.
  const podSecurity = pod.spec.securityContext;
  assert.equal(podSecurity.runAsNonRoot, true);
  assert.equal(podSecurity.runAsUser, 1000);
  assert.equal(podSecurity.fsGroup, 1000);
  const security = container.securityContext;
  assert.equal(security.runAsNonRoot, true);
  assert.equal(security.readOnlyRootFilesystem, true);
  assert.equal(security.allowPrivilegeEscalation, false);
  assert.deepEqual(security.capabilities?.drop, ['ALL']);
  assert.equal(security.capabilities?.add, undefined);
  assert.equal(pod.spec.automountServiceAccountToken, false);

  // Volumes: every mount has a volume; writable where the tracker writes, read-only config.
  const claimTemplates = (workload.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
  const volumes = new Map(pod.spec.volumes.map((v) => [v.name, v]));
  for (const mount of container.volumeMounts) {
    assert.ok(volumes.has(mount.name) || claimTemplates.includes(mount.name), `volume ${mount.name} exists`);
  }
  const mountAt = (path: string) => container.volumeMounts.find((m) => m.mountPath === path);
  for (const path of ['/tmp', '/var/lib/torrust/tracker', '/var/log/torrust/tracker']) {
    const mount = mountAt(path);
    assert.ok(mount, `${path} is mounted (the root file system is read-only)`);
    assert.notEqual(mount.readOnly, true, `${path} is writable`);
  }
  assert.ok(volumes.get(mountAt('/tmp')?.name ?? '')?.emptyDir, '/tmp is an emptyDir');
  const config = mountAt('/etc/torrust/tracker');
  assert.equal(config?.readOnly, true, 'the configuration is mounted read-only');
  const configVolume = volumes.get(config?.name ?? '');
  assert.ok(configVolume?.configMap, 'from a ConfigMap');
  r.get<ConfigMap>('ConfigMap', configVolume.configMap.name);
  assert.equal(r.env('TORRUST_TRACKER_CONFIG_TOML_PATH')?.value, '/etc/torrust/tracker/tracker.toml');
  if (pod.spec.serviceAccountName !== 'default' && r.all('ServiceAccount').length > 0) {
    r.get('ServiceAccount', pod.spec.serviceAccountName);
  }

  // Environment: names valid and unique; Secret references resolvable.
  const existingSecret = ((r.values.secret as Record<string, unknown>).existingSecret as string) || undefined;
  const envNames = new Set<string>();
  for (const variable of container.env) {
    assert.match(variable.name, /^[-._a-zA-Z][-._a-zA-Z0-9]*$/);
    assert.ok(!envNames.has(variable.name), `env ${variable.name} unique`);
    envNames.add(variable.name);
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref) continue;
    assert.match(ref.key, SECRET_KEY);
    const secret = r.maybe<Secret>('Secret', ref.name);
    if (existingSecret) {
      assert.equal(ref.name, existingSecret, `${variable.name} reads the existing Secret`);
      assert.equal(secret, undefined, 'the chart creates no Secret of that name');
    } else {
      assert.ok(secret, `${variable.name}: Secret ${ref.name} is rendered`);
      assert.ok(ref.key in secret.data, `${variable.name}: Secret ${ref.name} has key ${ref.key}`);
    }
  }

  // Graceful drain fits in the pod's termination grace period.
  const toml = r.trackerToml();
  const grace = Number(/grace_period_in_secs = (\d+)/.exec(toml)?.[1]);
  const drain = Number(/drain_delay_in_secs = (\d+)/.exec(toml)?.[1]);
  assert.ok(grace > drain, 'grace period covers the drain delay');
  assert.ok(pod.spec.terminationGracePeriodSeconds > grace, 'terminationGracePeriodSeconds > shutdown grace');

  // Services: select the pods, target existing container ports of the same protocol.
  for (const service of r.all<Service>('Service')) {
    const where = `Service ${service.metadata.name}`;
    assert.ok(isSubset(service.spec.selector, podLabels), `${where}: selector matches the pods`);
    assert.ok(service.spec.ports.length > 0);
    const protocols = new Set(service.spec.ports.map((p) => p.protocol));
    assert.equal(protocols.size, 1, `${where}: one protocol per Service`);
    for (const port of service.spec.ports) {
      const target = portByName.get(String(port.targetPort));
      assert.ok(target, `${where}: targetPort ${port.targetPort} is a container port`);
      assert.equal(target.protocol, port.protocol, `${where}: ${port.name} protocol`);
    }
    const type = service.spec.type ?? 'ClusterIP';
    if (service.spec.externalTrafficPolicy !== undefined) {
      assert.ok(
        ['NodePort', 'LoadBalancer'].includes(type),
        `${where}: externalTrafficPolicy needs NodePort/LoadBalancer`,
      );
    }
  }
  if (workload.kind === 'StatefulSet') {
    const headless = r.get<Service>('Service', workload.spec.serviceName ?? '');
    assert.equal(headless.spec.clusterIP, 'None', 'the StatefulSet governing Service is headless');
  }

  for (const monitor of r.all<ServiceMonitor>('ServiceMonitor')) {
    const targets = r
      .all<Service>('Service')
      .filter((s) => isSubset(monitor.spec.selector.matchLabels, s.metadata.labels ?? {}));
    assert.equal(targets.length, 1, 'the ServiceMonitor selects exactly one Service');
    const target = targets[0] as Service;
    assert.ok(monitor.spec.namespaceSelector.matchNames.includes(target.metadata.namespace ?? ''));
    for (const endpoint of monitor.spec.endpoints) {
      assert.ok(
        target.spec.ports.some((p) => p.name === endpoint.port),
        `ServiceMonitor port ${endpoint.port} exists`,
      );
    }
  }
  for (const pdb of r.all<Selecting>('PodDisruptionBudget')) {
    assert.ok(isSubset(pdb.spec.selector.matchLabels, podLabels), 'the PodDisruptionBudget selects the pods');
  }
  for (const ingress of r.all<Ingress>('Ingress')) {
    for (const rule of ingress.spec.rules) {
      for (const path of rule.http.paths) {
        const backend = r.get<Service>('Service', path.backend.service.name);
        assert.ok(backend.spec.ports.some((p) => p.name === path.backend.service.port.name && p.protocol === 'TCP'));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The chart

const prepared = prepareRenderer(ROOT, CHART);
const skip = prepared.ok ? false : `chart renderer unavailable: ${prepared.reason}`;
if (!prepared.ok) process.stderr.write(`WARNING: Helm chart tests skipped: ${prepared.reason}\n`);
const renderer = prepared.ok ? prepared.renderer : (undefined as unknown as Renderer);
after(() => renderer?.dispose());

const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as Schema;
const fullname = `${RELEASE}-${CHART_NAME}`;

function valuesFile(values: unknown): string {
  const file = join(tempDir('values-'), 'values.yaml');
  // JSON is YAML.
  writeFileSync(file, JSON.stringify(values));
  return file;
}

/** Always strict, as `helm lint --strict`: a template reading a missing value fails. */
function renderArgs(files: readonly string[]): string[] {
  return ['-strict', '-name', RELEASE, '-namespace', NAMESPACE, ...files.flatMap((f) => ['-f', f])];
}

function render(...files: string[]): Rendered {
  const objects = JSON.parse(renderer.output([...renderArgs(files), '-o', 'json'])) as Manifest[];
  const values = JSON.parse(renderer.output([...renderArgs(files), '-o', 'values'])) as Record<string, unknown>;
  return new Rendered(objects, values);
}

function renderFails(values: unknown): string {
  const result = renderer.run([...renderArgs([valuesFile(values)]), '-o', 'json']);
  assert.notEqual(result.status, 0, 'the render is refused');
  return result.stderr;
}

function schemaErrors(...files: string[]): string[] {
  const values = JSON.parse(renderer.output([...renderArgs(files), '-o', 'values'])) as unknown;
  return validate(schema, values).map((e) => `${e.path}: ${e.message}`);
}

function decode(secret: Secret, key: string): string {
  const value = secret.data[key];
  assert.ok(value !== undefined, `Secret ${secret.metadata.name} has ${key}`);
  return Buffer.from(value, 'base64').toString('utf8');
}

describe('Helm chart', { skip }, () => {
  const mysqlValues = join(FIXTURES, 'values-mysql.yaml');
  const ephemeralValues = join(FIXTURES, 'values-sqlite-ephemeral.yaml');
  let defaults: Rendered;
  let mysql: Rendered;
  let ephemeral: Rendered;
  before(() => {
    defaults = render();
    mysql = render(mysqlValues);
    ephemeral = render(ephemeralValues);
  });

  describe('metadata and values', () => {
    it('Chart.yaml is apiVersion v2 with the package version as appVersion', () => {
      const [chart] = renderer.yamlToJson(join(CHART, 'Chart.yaml')) as Array<Record<string, unknown>>;
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.equal(chart?.apiVersion, 'v2');
      assert.equal(chart?.name, CHART_NAME);
      assert.equal(chart?.type, 'application');
      assert.match(String(chart?.version), /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
      assert.equal(chart?.appVersion, pkg.version);
    });

    it('values.schema.json is a draft-07 schema', () => {
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.equal(schema.type, 'object');
      assert.equal(schema.additionalProperties, false, 'typos in value names are rejected');
    });

    it('values.yaml and the test values files validate against the schema', () => {
      assert.deepEqual(schemaErrors(), []);
      assert.deepEqual(schemaErrors(mysqlValues), []);
      assert.deepEqual(schemaErrors(ephemeralValues), []);
    });

    it('values.yaml sets every value the schema declares', () => {
      const values = JSON.parse(renderer.output(['-o', 'values'])) as unknown;
      assert.deepEqual(
        missingDeclaredProperties(schema, values).filter((p) => p !== 'global'),
        [],
      );
    });

    it('every value in values.yaml has a comment', () => {
      const lines = readFileSync(join(CHART, 'values.yaml'), 'utf8').split('\n');
      const undocumented: string[] = [];
      lines.forEach((line, i) => {
        if (!/^\s*(- )?[A-Za-z0-9_.-]+:/.test(line)) return;
        const previous = (lines[i - 1] ?? '').trim();
        if (!previous.startsWith('#') && !/\s#\s/.test(line)) undocumented.push(`${i + 1}: ${line.trim()}`);
      });
      assert.deepEqual(undocumented, []);
    });

    it('the schema rejects wrong values', () => {
      const cases: Array<[string, unknown]> = [
        ['database.driver', { database: { driver: 'postgres' } }],
        ['database.mysql.url', { database: { mysql: { url: 'postgres://u:p@h/db' } } }],
        ['config.udpTracker.port', { config: { udpTracker: { port: 70000 } } }],
        ['config.logging.threshold', { config: { logging: { threshold: 'verbose' } } }],
        ['config.shutdown.drainDelayInSecs', { config: { shutdown: { drainDelayInSecs: -1 } } }],
        ['config.httpApi.accessTokens.Admin-Key', { config: { httpApi: { accessTokens: { 'Admin-Key': 'x' } } } }],
        ['image.tag', { image: { tag: 1.2 } }],
        ['replicas', { replicas: 2 }],
        ['service.udp.externalTrafficPolicy', { service: { udp: { externalTrafficPolicy: 'local' } } }],
        ['service.http.type', { service: { http: { type: 'Ingress' } } }],
        ['persistence.size', { persistence: { size: 'ten gigs' } }],
        ['metrics.serviceMonitor.interval', { metrics: { serviceMonitor: { interval: 30 } } }],
      ];
      for (const [path, values] of cases) {
        const errors = schemaErrors(valuesFile(values));
        assert.ok(
          errors.some((e) => e.startsWith(path)),
          `${JSON.stringify(values)} is rejected at ${path}: ${errors.join('; ')}`,
        );
      }
    });
  });

  describe('the Kubernetes schema check', () => {
    it('refuses an object the API server would refuse', () => {
      const service = structuredClone(defaults.objects.find((o) => o.kind === 'Service')) as unknown as {
        spec: { ports: Array<{ port: unknown }> };
      };
      service.spec.ports[0].port = 'not-a-port';
      assert.throws(() => validateKubernetesObject(service as never));
    });
  });

  describe('default values: SQLite on a PersistentVolumeClaim', () => {
    it('renders valid objects', () => {
      checkManifests(defaults);
      const kinds = defaults.objects.map((o) => o.kind).sort();
      assert.deepEqual(kinds, [
        'ConfigMap',
        'Secret',
        'Service',
        'Service',
        'Service',
        'Service',
        'ServiceAccount',
        'StatefulSet',
      ]);
    });

    it('runs a single-replica StatefulSet with a ReadWriteOnce claim mounted at /var/lib/torrust/tracker', () => {
      const workload = defaults.workload();
      assert.equal(workload.kind, 'StatefulSet');
      assert.equal(workload.metadata.name, fullname);
      assert.equal(workload.spec.replicas, 1);
      const [claim] = workload.spec.volumeClaimTemplates ?? [];
      assert.equal(claim?.metadata.name, 'data');
      assert.deepEqual(claim?.spec.accessModes, ['ReadWriteOnce']);
      assert.equal(claim?.spec.resources.requests.storage, '1Gi');
      assert.equal(claim?.spec.storageClassName, undefined, 'the default StorageClass');
      assert.ok(!workload.spec.template.spec.volumes.some((v) => v.name === 'data'), 'data comes from the claim');
      const mount = defaults.container().volumeMounts.find((m) => m.name === 'data');
      assert.equal(mount?.mountPath, '/var/lib/torrust/tracker');
    });

    it('renders a tracker.toml the tracker accepts: SQLite path, API on 0.0.0.0:1212, drain settings', () => {
      const config = defaults.trackerConfiguration();
      assert.equal(config.core.database.driver, 'sqlite3');
      assert.equal(config.core.database.path, '/var/lib/torrust/tracker/database/sqlite3.db');
      assert.equal(config.httpApi?.bindAddress.text, '0.0.0.0:1212');
      assert.equal(config.healthCheckApi.bindAddress.text, '127.0.0.1:1313');
      assert.deepEqual(
        config.udpTrackers.map((u) => u.bindAddress.text),
        ['0.0.0.0:6969'],
      );
      assert.deepEqual(
        config.httpTrackers.map((h) => h.bindAddress.text),
        ['0.0.0.0:7070'],
      );
      assert.equal(config.shutdown.drainDelayInSecs, 5);
      assert.equal(config.shutdown.gracePeriodInSecs, 20);
      assert.equal(config.logging.threshold, 'info');
      assert.equal(config.core.private, false);
      assert.equal(config.core.listed, false);
      assert.equal(config.core.announcePolicy.maxPeersPerAnnounce, 74);
      // Secrets never appear in the ConfigMap.
      assert.doesNotMatch(defaults.trackerToml(), /access_tokens\]|admin =|connection_id_secret =/);
      assert.equal(defaults.workload().spec.template.spec.terminationGracePeriodSeconds, 30);
    });

    it('generates the admin token and the UDP connection-id secret into the Secret', () => {
      const secret = defaults.get<Secret>('Secret', fullname);
      const token = decode(secret, 'access-token-admin');
      assert.match(token, /^[A-Za-z0-9]{32}$/);
      assert.match(decode(secret, 'udp-connection-id-secret'), /^[A-Za-z0-9]{48}$/);
      const config = defaults.trackerConfiguration();
      assert.deepEqual(config.httpApi?.accessTokens, { admin: token });
      assert.ok(config.udpTrackerServer.connectionIdSecret.length === 48);
      const annotations = defaults.workload().spec.template.metadata.annotations ?? {};
      assert.match(annotations['checksum/config'] ?? '', /^[a-f0-9]{64}$/, 'configuration changes roll the pods');
    });

    it('has separate UDP, HTTP and API Services (ClusterIP by default) and a headless one', () => {
      const udp = defaults.get<Service>('Service', `${fullname}-udp`);
      assert.deepEqual(
        udp.spec.ports.map((p) => [p.protocol, p.port, p.targetPort]),
        [['UDP', 6969, 'udp']],
      );
      const http = defaults.get<Service>('Service', `${fullname}-http`);
      assert.deepEqual(
        http.spec.ports.map((p) => [p.protocol, p.port, p.targetPort]),
        [['TCP', 7070, 'http']],
      );
      const api = defaults.get<Service>('Service', `${fullname}-api`);
      assert.equal(api.spec.type, 'ClusterIP');
      assert.deepEqual(
        api.spec.ports.map((p) => [p.protocol, p.port, p.targetPort]),
        [['TCP', 1212, 'api']],
      );
      for (const service of [udp, http]) {
        assert.equal(service.spec.type, 'ClusterIP');
        assert.equal(service.spec.externalTrafficPolicy, undefined, 'not valid on ClusterIP');
      }
      assert.deepEqual(
        defaults
          .container()
          .ports.map((p) => `${p.name}:${p.containerPort}/${p.protocol}`)
          .sort(),
        ['api:1212/TCP', 'http:7070/TCP', 'udp:6969/UDP'],
      );
    });

    it('creates no ServiceMonitor, dashboard, PodDisruptionBudget or Ingress unless asked', () => {
      for (const kind of ['ServiceMonitor', 'PodDisruptionBudget', 'Ingress', 'Deployment']) {
        assert.equal(defaults.all(kind).length, 0, kind);
      }
      assert.equal(defaults.all('ConfigMap').length, 1, 'only the tracker configuration');
    });

    it('has install notes with the token command', () => {
      const notes = renderer.output([...renderArgs([]), '-o', 'notes']);
      assert.match(notes, /udp:\/\/.*:6969\/announce/);
      assert.match(
        notes,
        /kubectl get secret --namespace bittorrent tracker-nest-bittorrent-tracker .*access-token-admin/,
      );
    });
  });

  describe('MySQL, existing Secret, LoadBalancers, ServiceMonitor and dashboard', () => {
    it('renders valid objects', () => {
      checkManifests(mysql);
      const kinds = mysql.objects.map((o) => o.kind).sort();
      assert.deepEqual(kinds, [
        'ConfigMap',
        'ConfigMap',
        'Deployment',
        'PodDisruptionBudget',
        'Service',
        'Service',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
      ]);
    });

    it('runs a rolling Deployment without a claim; the MySQL URL and tokens come from the existing Secret', () => {
      const workload = mysql.workload();
      assert.equal(workload.kind, 'Deployment');
      assert.equal(workload.spec.replicas, 2);
      assert.equal(workload.spec.strategy?.type, 'RollingUpdate');
      assert.equal(workload.spec.volumeClaimTemplates, undefined);
      assert.ok(workload.spec.template.spec.volumes.every((v) => !v.persistentVolumeClaim));
      assert.equal(mysql.all('Secret').length, 0, 'the Secret is managed outside the chart');
      const ref = (name: string) => mysql.env(name)?.valueFrom?.secretKeyRef;
      assert.deepEqual(ref('TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__PATH'), {
        name: 'tracker-credentials',
        key: 'mysql-url',
      });
      assert.deepEqual(ref('TORRUST_TRACKER_CONFIG_OVERRIDE_HTTP_API__ACCESS_TOKENS__ADMIN'), {
        name: 'tracker-credentials',
        key: 'admin-token',
      });
      assert.deepEqual(ref('TORRUST_TRACKER_CONFIG_OVERRIDE_HTTP_API__ACCESS_TOKENS__GRAFANA_READER'), {
        name: 'tracker-credentials',
        key: 'access-token-grafana-reader',
      });
      assert.equal(ref('TORRUST_TRACKER_CONFIG_OVERRIDE_UDP_TRACKER_SERVER__CONNECTION_ID_SECRET')?.optional, true);
      assert.equal(mysql.env('TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER')?.value, 'mysql');
      assert.equal(mysql.workload().spec.template.metadata.annotations?.['checksum/secret'], undefined);
    });

    it('renders a tracker.toml without the database URL that, with the Secret, is a valid MySQL configuration', () => {
      const toml = mysql.trackerToml();
      assert.match(toml, /driver = "mysql"/);
      assert.doesNotMatch(toml, /^path =/m, 'the URL (with its password) is not in the ConfigMap');
      const config = mysql.trackerConfiguration({
        'mysql-url': 'mysql://tracker:s3cret@mariadb.db.svc:3306/tracker',
        'admin-token': 'admin-token-value',
        'access-token-grafana-reader': 'reader-token-value',
      });
      assert.equal(config.core.database.driver, 'mysql');
      assert.equal(config.core.database.path, 'mysql://tracker:s3cret@mariadb.db.svc:3306/tracker');
      assert.deepEqual(config.httpApi?.accessTokens, {
        admin: 'admin-token-value',
        grafana_reader: 'reader-token-value',
      });
      assert.equal(config.logging.style, 'json');
      assert.equal(config.core.listed, true);
      assert.equal(config.udpTrackerServer.connectionIdSecret, '', 'absent from the existing Secret: per pod');
    });

    it('keeps client IPs: LoadBalancer Services with externalTrafficPolicy Local, one protocol each', () => {
      const udp = mysql.get<Service>('Service', `${fullname}-udp`);
      const http = mysql.get<Service>('Service', `${fullname}-http`);
      for (const service of [udp, http]) {
        assert.equal(service.spec.type, 'LoadBalancer');
        assert.equal(service.spec.externalTrafficPolicy, 'Local');
        assert.equal(service.metadata.annotations?.['metallb.universe.tf/allow-shared-ip'], 'tracker');
      }
      assert.deepEqual(
        http.spec.ports.map((p) => [p.port, p.targetPort]),
        [[80, 'http']],
      );
      assert.equal(mysql.get<Service>('Service', `${fullname}-api`).spec.type, 'ClusterIP');
    });

    it('scrapes /metrics on the API port with a ServiceMonitor carrying the Prometheus selector label', () => {
      const [monitor] = mysql.all<ServiceMonitor>('ServiceMonitor');
      assert.ok(monitor);
      assert.equal(monitor.metadata.labels?.release, 'kube-prometheus-stack');
      assert.deepEqual(
        monitor.spec.endpoints.map((e) => [e.port, e.path, e.interval, e.scrapeTimeout]),
        [['api', '/metrics', '30s', '10s']],
      );
      assert.deepEqual(monitor.spec.namespaceSelector.matchNames, [NAMESPACE]);
    });

    it('ships the Grafana dashboard in a ConfigMap labelled for the sidecar', () => {
      const dashboard = mysql.get<ConfigMap>('ConfigMap', `${fullname}-dashboard`);
      assert.equal(dashboard.metadata.labels?.grafana_dashboard, '1');
      assert.equal(dashboard.metadata.namespace, 'monitoring');
      const file = readFileSync(join(CHART, 'dashboards/tracker.json'), 'utf8');
      assert.equal(dashboard.data['nest-bittorrent-tracker.json'], file.trimEnd());
    });

    it('has a PodDisruptionBudget', () => {
      const [pdb] = mysql.all<Selecting & { spec: { minAvailable?: number } }>('PodDisruptionBudget');
      assert.equal(pdb?.spec.minAvailable, 1);
    });
  });

  describe('other choices', () => {
    it('SQLite without persistence, private mode, Ingress: a Deployment with an emptyDir and no UDP', () => {
      checkManifests(ephemeral);
      const workload = ephemeral.workload();
      assert.equal(workload.kind, 'Deployment');
      assert.ok(workload.spec.template.spec.volumes.find((v) => v.name === 'data')?.emptyDir, 'data is an emptyDir');
      assert.equal(ephemeral.maybe('Service', `${fullname}-udp`), undefined, 'no UDP Service in private mode');
      assert.equal(ephemeral.maybe('Service', `${fullname}-headless`), undefined);
      assert.ok(!ephemeral.container().ports.some((p) => p.protocol === 'UDP'));
      assert.equal(workload.spec.template.spec.terminationGracePeriodSeconds, 45);

      const secret = ephemeral.get<Secret>('Secret', fullname);
      assert.equal(decode(secret, 'access-token-admin'), 'MyAccessToken');
      assert.equal(decode(secret, 'udp-connection-id-secret'), 'shared-between-replicas');
      const config = ephemeral.trackerConfiguration();
      assert.equal(config.core.private, true);
      assert.deepEqual(config.udpTrackers, []);
      assert.equal(config.core.net.onReverseProxy, true);
      assert.equal(config.core.net.externalIp, '203.0.113.7');
      assert.equal(config.core.privateMode?.checkKeysExpiration, true);
      assert.equal(config.udpTrackerServer.connectionIdSecret, 'shared-between-replicas');

      const [ingress] = ephemeral.all<Ingress>('Ingress');
      assert.equal(ingress?.spec.ingressClassName, 'nginx');
      assert.equal(ingress?.spec.rules[0]?.host, 'tracker.example.org');
      assert.equal(ingress?.spec.rules[0]?.http.paths[0]?.backend.service.name, `${fullname}-http`);
      const notes = renderer.output([...renderArgs([ephemeralValues]), '-o', 'notes']);
      assert.match(notes, /WARNING: persistence.enabled is false/);
      assert.match(notes, /UDP: +not started/);
    });

    it('SQLite on an existing claim: a Deployment with strategy Recreate', () => {
      const r = render(valuesFile({ persistence: { existingClaim: 'tracker-data', storageClassName: '-' } }));
      checkManifests(r);
      const workload = r.workload();
      assert.equal(workload.kind, 'Deployment');
      assert.equal(workload.spec.strategy?.type, 'Recreate');
      assert.equal(
        workload.spec.template.spec.volumes.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName,
        'tracker-data',
      );
    });

    it('MySQL with the URL in values: the chart Secret holds it', () => {
      const url = 'mysql://tracker:p%40ss@mysql:3306/tracker';
      const r = render(valuesFile({ database: { driver: 'mysql', mysql: { url } } }));
      checkManifests(r);
      assert.equal(decode(r.get<Secret>('Secret', fullname), 'database-url'), url);
      assert.equal(r.trackerConfiguration().core.database.path, url);
      assert.equal(r.workload().kind, 'Deployment');
    });

    it('IPv6 bind addresses, NodePorts and a persistence storage class render correctly', () => {
      const r = render(
        valuesFile({
          config: { udpTracker: { bindHost: '::' }, httpTracker: { bindHost: '::' } },
          service: { udp: { type: 'NodePort', nodePort: 30969 }, http: { type: 'NodePort', nodePort: 30070 } },
          persistence: { storageClassName: 'fast-ssd', size: '5Gi' },
          image: { repository: 'registry.example.com/tracker', digest: `sha256:${'a'.repeat(64)}` },
        }),
      );
      checkManifests(r);
      const config = r.trackerConfiguration();
      assert.equal(config.udpTrackers[0]?.bindAddress.text, '[::]:6969');
      assert.equal(config.httpTrackers[0]?.bindAddress.text, '[::]:7070');
      const udp = r.get<Service>('Service', `${fullname}-udp`);
      assert.equal((udp.spec.ports[0] as ServicePort & { nodePort?: number }).nodePort, 30969);
      const claim = r.workload().spec.volumeClaimTemplates?.[0];
      assert.equal(claim?.spec.storageClassName, 'fast-ssd');
      assert.equal(claim?.spec.resources.requests.storage, '5Gi');
      assert.equal(r.container().image, `registry.example.com/tracker@sha256:${'a'.repeat(64)}`);
    });

    it('values set to null (which Helm deletes) fall back to their defaults', () => {
      const r = render(
        valuesFile({
          terminationGracePeriodSeconds: null,
          service: { udp: { type: 'NodePort', nodePort: null } },
          podDisruptionBudget: { enabled: true, minAvailable: null },
        }),
      );
      checkManifests(r);
      assert.equal(r.workload().spec.template.spec.terminationGracePeriodSeconds, 30);
      const udp = r.get<Service>('Service', `${fullname}-udp`);
      assert.equal((udp.spec.ports[0] as ServicePort & { nodePort?: number }).nodePort, undefined);
      const [pdb] = r.all<Selecting & { spec: { maxUnavailable?: number } }>('PodDisruptionBudget');
      assert.equal(pdb?.spec.maxUnavailable, 1);
    });

    it('refuses inconsistent values with a readable message', () => {
      assert.match(
        renderFails({ database: { driver: 'mysql' } }),
        /set database\.mysql\.url .* or secret\.existingSecret/,
      );
      assert.match(renderFails({ replicaCount: 2 }), /replicaCount must be 1/);
      assert.match(
        renderFails({ terminationGracePeriodSeconds: 20 }),
        /terminationGracePeriodSeconds must exceed config\.shutdown\.gracePeriodInSecs/,
      );
      assert.match(
        renderFails({ config: { shutdown: { drainDelayInSecs: 30, gracePeriodInSecs: 30 } } }),
        /gracePeriodInSecs must exceed config\.shutdown\.drainDelayInSecs/,
      );
      assert.match(renderFails({ config: { httpApi: { port: 7070 } } }), /config\.httpApi\.port 7070 is already used/);
      assert.match(
        renderFails({ database: { sqlite3: { path: '/data/tracker.db' } } }),
        /must be under \/var\/lib\/torrust\/tracker/,
      );
    });

    it('helm lint and helm template accept the chart (when a helm binary is installed)', (t) => {
      const helm = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
      if (helm.error || helm.status !== 0) {
        t.skip('no helm binary on PATH');
        return;
      }
      for (const files of [[], [mysqlValues], [ephemeralValues]]) {
        const args = files.flatMap((f) => ['-f', f]);
        const lint = spawnSync('helm', ['lint', '--strict', CHART, ...args], { encoding: 'utf8' });
        assert.equal(lint.status, 0, lint.stdout + lint.stderr);
        const template = spawnSync('helm', ['template', RELEASE, CHART, '--namespace', NAMESPACE, ...args], {
          encoding: 'utf8',
        });
        assert.equal(template.status, 0, template.stderr);
      }
    });
  });

  describe('Grafana dashboard', () => {
    const dashboard = JSON.parse(readFileSync(join(CHART, 'dashboards/tracker.json'), 'utf8')) as {
      uid: string;
      title: string;
      panels: Array<{
        id: number;
        type: string;
        title: string;
        gridPos: { x: number; y: number; w: number; h: number };
        targets?: Array<{ expr: string; datasource: { uid: string } }>;
      }>;
      templating: { list: Array<{ name: string; type: string; query: unknown }> };
    };
    const METRICS = [
      'tracker_requests_total',
      'tracker_responses_total',
      'tracker_errors_total',
      'tracker_request_duration_seconds_bucket',
      'tracker_udp_banned_requests_total',
      'tracker_udp_banned_ips',
      'tracker_torrents',
      'tracker_peers',
      'tracker_downloads',
      'tracker_database_write_queue_depth',
      'tracker_database_write_failures_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ];

    it('queries exactly the tracker metrics, each at least once, with the documented labels', () => {
      const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
      const used = new Set(exprs.flatMap((e) => e.match(/\b(tracker|process|nodejs)_[a-z_]+\b/g) ?? []));
      assert.deepEqual([...used].sort(), [...METRICS].sort());
      const labels = new Set(
        exprs.flatMap((e) => [...e.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(/,\s*/))),
      );
      for (const label of labels) {
        assert.ok(
          ['protocol', 'family', 'kind', 'listener', 'le', 'role', 'instance'].includes(label),
          `by (${label})`,
        );
      }
      assert.ok(exprs.some((e) => /tracker_peers\{[^}]*role="seeder"/.test(e)));
      assert.ok(exprs.some((e) => /tracker_peers\{[^}]*role="leecher"/.test(e)));
      assert.ok(exprs.some((e) => /histogram_quantile\(0\.99, sum by \(le, protocol, kind\)/.test(e)));
    });

    it('is a well-formed dashboard: datasource variable, unique panel ids, panels within the grid', () => {
      assert.equal(dashboard.uid, 'nest-bittorrent-tracker');
      assert.ok(dashboard.title);
      assert.ok(dashboard.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource'));
      const ids = dashboard.panels.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length);
      for (const panel of dashboard.panels) {
        assert.ok(panel.gridPos.x + panel.gridPos.w <= 24, `${panel.title} fits in 24 columns`);
        for (const target of panel.targets ?? []) assert.equal(target.datasource.uid, '${datasource}');
      }
    });
  });

  describe('compose.yaml', () => {
    interface ComposeService {
      build?: string;
      image?: string;
      environment?: Record<string, string | number>;
      ports?: string[];
      depends_on?: Record<string, { condition: string }>;
      healthcheck?: { test: string[] };
      stop_grace_period?: string;
    }
    let compose: { services: Record<string, ComposeService> } | undefined;
    before(() => {
      [compose] = renderer.yamlToJson(join(ROOT, 'compose.yaml')) as Array<{
        services: Record<string, ComposeService>;
      }>;
    });

    it('runs the tracker built from this Dockerfile after MariaDB is healthy', () => {
      const tracker = compose?.services.tracker;
      const database = compose?.services.mysql;
      assert.equal(tracker?.build, '.');
      assert.deepEqual(tracker?.depends_on, { mysql: { condition: 'service_healthy' } });
      assert.ok(database?.healthcheck?.test.length, 'the database has a healthcheck');
      assert.match(database?.image ?? '', /^(mariadb|mysql):/);
      assert.deepEqual(tracker?.ports?.slice().sort(), ['1212:1212', '6969:6969/udp', '7070:7070']);
      assert.match(tracker?.stop_grace_period ?? '', /^\d+s$/);
    });

    it('configures the tracker through overrides that the loader accepts with the MySQL default', () => {
      const env = Object.fromEntries(
        Object.entries(compose?.services.tracker?.environment ?? {}).map(([k, v]) => [
          k,
          // Compose's ${VAR:-default} interpolation, with the defaults.
          String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1'),
        ]),
      );
      assert.equal(env.TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER, 'mysql');
      assert.ok(env.TORRUST_TRACKER_CONFIG_OVERRIDE_HTTP_API__ACCESS_TOKENS__ADMIN);
      const loaded = loadConfiguration(
        {
          ...env,
          TORRUST_TRACKER_CONFIG_TOML_PATH: join(ROOT, 'share/default/config/tracker.container.mysql.toml'),
        },
        ROOT,
      );
      assert.ok(loaded.ok, JSON.stringify(loaded));
      assert.equal(loaded.config.core.database.driver, 'mysql');
      assert.match(loaded.config.core.database.path, /^mysql:\/\/[^:]+:[^@]+@mysql:3306\/\w+$/);
      const db = compose?.services.mysql?.environment ?? {};
      const url = new URL(loaded.config.core.database.path);
      const interpolate = (v: string | number | undefined) => String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
      assert.equal(url.username, interpolate(db.MARIADB_USER));
      assert.equal(url.password, interpolate(db.MARIADB_PASSWORD));
      assert.equal(url.pathname.slice(1), interpolate(db.MARIADB_DATABASE));
    });
  });
});
