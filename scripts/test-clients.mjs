#!/usr/bin/env node
// The real-client transfer tests (test/clients/*.clients-spec.ts): not part of `npm test`, since
// they need Debian packages (test/clients/install-clients.sh) and take about a minute.
//   node scripts/test-clients.mjs [--grep PATTERN] [files…]
// Without files: every test/clients/*.clients-spec.ts, through scripts/run-tests.mjs (which
// compiles first). TEST_CLIENTS_REQUIRED=1 turns the skip for missing clients into a failure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const hasFiles = args.some((a, i) => !a.startsWith('--') && args[i - 1] !== '--grep');
const files = hasFiles
  ? []
  : readdirSync(join(root, 'test/clients'))
      .filter((f) => f.endsWith('.clients-spec.ts'))
      .sort()
      .map((f) => `test/clients/${f}`);
const run = spawnSync(process.execPath, [join(root, 'scripts/run-tests.mjs'), ...args, ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(run.status ?? 1);
