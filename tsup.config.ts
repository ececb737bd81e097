import { cp } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // Both entries in one build with code splitting, in ESM and in CommonJS: `chronos-db` and
    // `chronos-db/schema` load one shared chunk, so there is one copy of every class (errors,
    // repositories) and `instanceof` holds across the two entries. The storage backends are
    // chunks of their own, imported on first use, so their SDKs stay optional.
    entry: { index: 'runtime/index.ts', schema: 'runtime/schema/index.ts' },
    format: ['esm', 'cjs'],
    splitting: true,
    keepNames: true,
    dts: true,
    // No source maps in the package: they were most of its size, and stack traces name the
    // bundled functions (keepNames) without them.
    sourcemap: false,
    clean: true,
    target: 'node20',
    outDir: 'dist',
  },
  {
    entry: { cli: 'cli/cli.ts' },
    format: ['esm'],
    splitting: true,
    keepNames: true,
    sourcemap: false,
    target: 'node20',
    outDir: 'dist/cli',
    banner: { js: '#!/usr/bin/env node' },
    // The Studio's page, script and styles are served from files next to the bundled CLI.
    onSuccess: async () => {
      await cp('cli/studio/assets', 'dist/cli/studio-assets', { recursive: true });
    },
  },
]);
