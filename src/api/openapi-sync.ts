/**
 * `npm run openapi`: writes the API's OpenAPI document to docs/openapi.json (commit it).
 * `node dist/api/openapi-sync.js --check` only compares and exits 1 when the file is stale.
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenApiJson } from './openapi.js';

/** The repository root: this file runs from dist/api/ or build/src/api/. */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above this script');
    dir = parent;
  }
  return dir;
}

async function main(): Promise<void> {
  const target = join(repositoryRoot(), 'docs', 'openapi.json');
  const text = await generateOpenApiJson();
  const current = existsSync(target) ? readFileSync(target, 'utf8') : null;
  const shown = relative(process.cwd(), target) || target;
  if (process.argv.includes('--check')) {
    if (current !== text) {
      process.stderr.write(`${shown} is out of date: run npm run openapi\n`);
      process.exit(1);
    }
    process.stdout.write(`${shown} is up to date\n`);
    return;
  }
  if (current === text) {
    process.stdout.write(`${shown} is up to date\n`);
    return;
  }
  writeFileSync(target, text);
  process.stdout.write(`wrote ${shown}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`OpenAPI generation failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
