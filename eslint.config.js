// ESLint for the whole repository (`npm run lint`, part of `npm test`): typescript-eslint's
// recommended rules on every TypeScript folder, ESLint's recommended rules on the Studio's
// browser scripts, and every project-specific rule set found in scripts/lint/.
//
// The rules are the syntactic set, not the type-checked one: with type information the run takes
// about six times the CPU and over a gigabyte of memory (it builds the whole program, as tsc
// does), and `npm test` already type-checks twice.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS_FOLDERS = ['runtime', 'codegen', 'cli', 'schemas', 'generated', 'bench', 'scripts', 'test', 'examples'];

/**
 * Project rules: every `.js` file in scripts/lint/ default-exports one flat-config object (or an
 * array of them), which is appended after the shared rules, so a file there can scope itself
 * with `files` and tighten or relax anything above.
 */
async function projectRules() {
  const folder = new URL('./scripts/lint/', import.meta.url);
  let names;
  try {
    names = await readdir(fileURLToPath(folder));
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  const configs = [];
  for (const name of names.filter((n) => n.endsWith('.js')).sort()) {
    const module = await import(pathToFileURL(fileURLToPath(new URL(name, folder))).href);
    configs.push(...[module.default].flat());
  }
  return configs;
}

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.servers/**', 'coverage/**'] },
  {
    files: TS_FOLDERS.map((folder) => `${folder}/**/*.ts`).concat(['*.ts']),
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks a parameter or binding kept for its position or its type.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['cli/studio/assets/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.browser },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['*.js', 'scripts/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  // Project-specific rules (for example the store-boundary rule) live in scripts/lint/*.js and
  // are spread in here, last, so they can narrow anything above.
  ...(await projectRules()),
);
