#!/usr/bin/env node
// Compiles src/ and test/ into build/ and runs node's test runner over the compiled specs.
//   node scripts/run-tests.mjs [unit|e2e|all] [--grep PATTERN] [files…]
// unit = src/**/*.spec.ts and test/unit/**; e2e = test/**/*.e2e-spec.ts; all (default) = both.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, 'build');
const args = process.argv.slice(2);
const kind = ['unit', 'e2e', 'all'].includes(args[0]) ? args.shift() : 'all';
let grep;
const explicit = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--grep') grep = args[++i];
  else explicit.push(args[i]);
}

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

// Remove compiled files whose TypeScript source is gone, so a deleted spec never runs.
for (const file of walk(build)) {
  if (!file.endsWith('.js')) continue;
  const source = join(root, relative(build, file)).replace(/\.js$/, '.ts');
  if (!existsSync(source)) {
    rmSync(file);
    rmSync(`${file}.map`, { force: true });
  }
}

const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')],
  {
    stdio: 'inherit',
  },
);
// TEST_ALLOW_TS_ERRORS=1: run what compiled anyway (tsc still emits), for work in progress.
if (tsc.status !== 0 && process.env.TEST_ALLOW_TS_ERRORS !== '1') {
  console.error('TypeScript compilation failed');
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

const compiled = walk(build).filter((f) => f.endsWith('.js'));
const isUnit = (f) => f.endsWith('.spec.js') && !f.endsWith('.e2e-spec.js');
const isE2e = (f) => f.endsWith('.e2e-spec.js');
let files;
if (explicit.length > 0) {
  files = explicit.map((f) => join(build, f.replace(/\.ts$/, '.js')));
} else {
  files = compiled.filter((f) => (kind === 'unit' ? isUnit(f) : kind === 'e2e' ? isE2e(f) : isUnit(f) || isE2e(f)));
}
files.sort();
if (files.length === 0) {
  console.error(`no ${kind} test files found`);
  process.exit(1);
}

const nodeArgs = [
  '--test',
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? Math.max(2, availableParallelism())}`,
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'scripts/summary-reporter.mjs')}`,
  '--test-reporter-destination=stdout',
];
if (grep) nodeArgs.push(`--test-name-pattern=${grep}`);
const run = spawnSync(process.execPath, [...nodeArgs, ...files], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
