/**
 * The dependency direction of the layers (README "Layout") is enforced by eslint; these tests
 * prove the rule fires on each forbidden import and stays quiet on allowed ones.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return result.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layer boundaries', () => {
  it('keep core/domain free of frameworks, I/O and other layers', async () => {
    assert.equal(await restricted('src/core/domain/probe.ts', "import '@nestjs/common';\n"), true);
    assert.equal(await restricted('src/core/domain/probe.ts', "import 'node:dgram';\n"), true);
    assert.equal(await restricted('src/core/domain/probe.ts', "import '../../protocol/bep15/index.js';\n"), true);
    assert.equal(await restricted('src/core/domain/probe.ts', "import '../core.tokens.js';\n"), true);
    assert.equal(await restricted('src/core/domain/probe.ts', "import './types.js';\n"), false);
    assert.equal(await restricted('src/core/domain/testing/probe.ts', "import '../types.js';\n"), false);
  });

  it('keep protocol a leaf', async () => {
    assert.equal(await restricted('src/protocol/bep15/probe.ts', "import '../../core/domain/types.js';\n"), true);
    assert.equal(await restricted('src/protocol/bep15/probe.ts', "import 'fastify';\n"), true);
    assert.equal(await restricted('src/protocol/bep15/probe.ts', "import '../announce-event.js';\n"), false);
  });

  it('keep the delivery folders out of every other layer', async () => {
    assert.equal(await restricted('src/stats/probe.ts', "import '../udp-tracker/udp-tracker.module.js';\n"), true);
    assert.equal(
      await restricted('src/api/v1/probe.ts', "import '../../http-tracker/http-tracker.module.js';\n"),
      true,
    );
    assert.equal(await restricted('src/app.module.ts', "import './udp-tracker/udp-tracker.module.js';\n"), false);
  });

  it('keep TypeORM inside persistence', async () => {
    assert.equal(await restricted('src/udp-tracker/probe.ts', "import 'typeorm';\n"), true);
    assert.equal(await restricted('src/persistence/database/probe.ts', "import 'typeorm';\n"), false);
  });
});
