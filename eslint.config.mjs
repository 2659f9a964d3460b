// Lint rules, including the dependency direction of the architecture (see README, "Layout"):
// core/domain and protocol are pure and may not import frameworks, I/O or other layers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Every top-level folder of src/: the pure layers may import none of the others.
const SRC_FOLDERS = [
  'api',
  'auth-keys',
  'config',
  'core',
  'downloads',
  'health',
  'http-tracker',
  'listeners',
  'logging',
  'persistence',
  'protocol',
  'shared',
  'stats',
  'udp-tracker',
  'whitelist',
  'forwarding',
  'console',
];

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
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
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
    // Nothing imports a delivery folder but the composition root (app.ts, app.module.ts) and the
    // folder itself.
    files: ['src/**/*.ts'],
    ignores: [
      'src/persistence/**',
      'src/app.ts',
      'src/app.module.ts',
      'src/udp-tracker/**',
      'src/http-tracker/**',
      'src/**/*.spec.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['typeorm', 'typeorm/*'], message: 'Only src/persistence imports TypeORM.' },
            {
              group: ['**/udp-tracker/**', '**/http-tracker/**'],
              message: 'Nothing imports a delivery folder (udp-tracker, http-tracker).',
            },
          ],
        },
      ],
    },
  },
  // The two pure layers come last so that their stricter rule wins for their files.
  ...[
    // A file directly in core/domain may not climb out with `../`; one in core/domain/testing not with `../../`.
    { files: ['src/core/domain/*.ts'], up: '../*' },
    { files: ['src/core/domain/*/**/*.ts'], up: '../../*' },
  ].map(({ files, up }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...pureRestrictions.patterns,
            {
              group: [...SRC_FOLDERS.filter((f) => f !== 'core').map((f) => `**/${f}/**`), up],
              message: 'core/domain imports nothing outside itself.',
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...pureRestrictions.patterns,
            {
              group: SRC_FOLDERS.filter((f) => f !== 'protocol').map((f) => `**/${f}/**`),
              message: 'protocol is a leaf: it imports nothing else from src/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
