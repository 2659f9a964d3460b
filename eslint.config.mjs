// Lint rules, including the dependency direction of the architecture (see README, "Layout"):
// core/domain and protocol are pure and may not import frameworks, I/O or other layers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureRestrictions = {
  patterns: [
    {
      group: ['@nestjs/*', 'typeorm', 'fastify', 'mysql2', 'sqlite3', 'rxjs', 'class-validator', 'prom-client'],
      message: 'core/domain and protocol are pure: no frameworks or I/O libraries.',
    },
    {
      group: ['node:dgram', 'node:net', 'node:fs', 'node:fs/promises', 'node:http', 'node:https', 'dgram', 'net', 'fs'],
      message: 'core/domain and protocol are pure: no sockets or file system.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'storage/', 'coverage/', 'helm/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Nest reads constructor parameter types at run time: keep value imports for injected classes.
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['src/core/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...pureRestrictions,
          patterns: [
            ...pureRestrictions.patterns,
            { group: ['**/protocol/**', '../../*', '!../../core/domain/**'], message: 'core/domain imports nothing outside itself.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...pureRestrictions,
          patterns: [
            ...pureRestrictions.patterns,
            { group: ['**/core/**', '**/config/**', '**/persistence/**'], message: 'protocol is a leaf: it imports nothing else from src/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/persistence/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['typeorm', 'typeorm/*'], message: 'Only src/persistence imports TypeORM.' }] },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
