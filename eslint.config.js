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
    // Only the command line and the scripted model's command line print; execution reports through a sink.
    files: ['runners/cli.ts', 'runners/commands/cli/**/*.ts', 'runners/endpoints/scripted-model/scripted-model-cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
