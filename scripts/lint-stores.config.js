// The store-boundary rule on its own (`npm run lint:stores`, run by scripts/test.sh): the
// TypeScript parser and scripts/lint/store-boundary.js, nothing else. Disable comments for
// rules this config does not load are not reported.
import tseslint from 'typescript-eslint';
import storeBoundary from './lint/store-boundary.js';

export default [
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, linterOptions: { reportUnusedDisableDirectives: 'off' } },
  storeBoundary,
];
