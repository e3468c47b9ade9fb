import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'fixtures/**', 'scenarios/**', 'runs/**', '**/*.hbs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Reporters never import execution code: the arrows point one way.
    files: ['reports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/runners/execute/**', '**/runners/opencode/**', '**/runners/sandbox/**', '**/runners/checks/**', '**/runners/scripted-model/**'],
              message: 'Reports are built from the summary only; do not import execution code.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the CLI and the scripted model's CLI print; execution reports through a sink.
    files: ['runners/cli.ts', 'runners/cli/**/*.ts', 'runners/scripted-model/cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
