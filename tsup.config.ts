import { cp } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'runtime/index.ts', schema: 'runtime/schema/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    outDir: 'dist',
  },
  {
    entry: { cli: 'codegen/cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    outDir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    // The Studio's page, script and styles are served from files next to the bundled CLI.
    onSuccess: async () => {
      await cp('codegen/studio/assets', 'dist/studio-assets', { recursive: true });
    },
  },
]);
