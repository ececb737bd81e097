/**
 * The one-bundle loading of declaration modules the built CLI uses on plain Node: every module's
 * exports come back by file, modules importing each other share one instance, JavaScript
 * modules stay the instances Node loads directly, and whatever it cannot load is handed back to
 * the module-by-module loader with nothing left behind in the declarations folder. Each case runs
 * in its own Node process (through tsx, as the repository's sources are TypeScript), because the
 * test runner's module loader would serve the bundle what plain Node does not (e.g. `require`).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_PREFIX } from '../../codegen/load/bundle-declarations.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeEach(async () => {
  // Inside the repository, so the modules resolve zod as an app's would.
  dir = await mkdtemp(path.join(root, '.test-bundle-'));
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runtime = (from: string) => JSON.stringify(path.relative(from, path.join(root, 'runtime/schema/index.js')).split(path.sep).join('/'));

async function write(file: string, text: string): Promise<string> {
  const full = path.join(dir, file);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, text);
  return full;
}

/**
 * Runs `body` in a fresh Node process with `loaded` bound to what `importBundled(dir, files)`
 * returned, and returns what the body returns (as JSON).
 */
async function inNode(files: readonly string[], body: string): Promise<unknown> {
  const driver = path.join(dir, 'driver.mts');
  await writeFile(
    driver,
    `import { importBundled } from ${JSON.stringify(path.join(root, 'codegen/load/bundle-declarations.js'))};\n` +
      `import { pathToFileURL } from 'node:url';\n` +
      `const loaded = await importBundled(${JSON.stringify(dir)}, ${JSON.stringify(files)});\n` +
      `const result = await (async () => { ${body} })();\n` +
      `process.stdout.write(JSON.stringify(result));\n`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), driver], { cwd: root });
  return JSON.parse(stdout) as unknown;
}

const leftovers = async () => (await readdir(dir, { recursive: true })).filter((name) => name.includes(BUNDLE_PREFIX));

describe('importBundled', () => {
  it('returns every module’s exports by file; imports between them, TypeScript helpers and JavaScript modules keep one instance each', async () => {
    const status = await write('enums/status.ts', "export const STATUSES = ['new', 'paid'] as const satisfies readonly string[];\n");
    const label = await write('label.js', 'export const LABEL = { text: "from JavaScript" };\n');
    const customers = await write(
      'customers.ts',
      `import { z } from 'zod';\nimport { defineCollection } from ${runtime(dir)};\n` +
        `export const customers = defineCollection({ name: 'customers', schema: z.object({ customerId: z.string(), name: z.string() }), indexedProps: ['customerId'], placement: { databaseType: 'runtime', tiers: ['tenant'] } });\n`,
    );
    const orders = await write(
      'nested/orders.ts',
      `import { z } from 'zod';\nimport { defineCollection } from ${runtime(path.join(dir, 'nested'))};\n` +
        `import { customers } from '../customers.js';\nimport { STATUSES } from '../enums/status.js';\nimport { LABEL } from '../label.js';\n` +
        `export const label = LABEL;\n` +
        `export const orders = defineCollection({ name: 'orders', schema: z.object({ status: z.enum(STATUSES), buyer: z.object({ customerId: z.string() }) }), indexedProps: ['status'], ` +
        `entities: [{ property: 'buyer', collection: customers, keyProperty: 'customerId', databaseType: 'runtime', tier: 'tenant' }], placement: { databaseType: 'runtime', tiers: ['tenant'] } });\n`,
    );

    const seen = await inNode(
      [customers, label, orders, status],
      `if (!loaded) return 'not bundled';
      const files = ${JSON.stringify({ customers, label, orders, status })};
      const customersDef = loaded.get(files.customers).customers;
      const ordersDef = loaded.get(files.orders).orders;
      const direct = await import(pathToFileURL(files.label).href);
      return {
        keys: [...loaded.keys()],
        names: [customersDef.name, ordersDef.name],
        entityIsTheExport: ordersDef.entities[0].collection === customersDef,
        parsed: ordersDef.schema.safeParse({ status: 'paid', buyer: { customerId: 'c' } }).success,
        refused: ordersDef.schema.safeParse({ status: 'lost', buyer: { customerId: 'c' } }).success,
        statuses: loaded.get(files.status).STATUSES,
        javascriptIsNodesInstance: loaded.get(files.label).LABEL === direct.LABEL && loaded.get(files.orders).label === direct.LABEL,
      };`,
    );

    expect(seen).toEqual({
      keys: [customers, label, orders, status],
      names: ['customers', 'orders'],
      entityIsTheExport: true,
      parsed: true,
      refused: false,
      statuses: ['new', 'paid'],
      javascriptIsNodesInstance: true,
    });
    expect(await leftovers()).toEqual([]);
  });

  it('hands back a module that only works as CommonJS, and one that throws, leaving no bundle behind', async () => {
    const commonJs = await write('legacy.ts', "const { z } = require('zod');\nexport const legacy = z.string();\n");
    const throwing = await write('broken.ts', "throw new Error('broken declaration');\n");
    const syntax = await write('syntax.ts', 'export const = ;\n');
    for (const file of [commonJs, throwing, syntax]) {
      expect(await inNode([file], 'return loaded === undefined ? "handed back" : [...loaded.keys()];'), file).toBe('handed back');
    }
    expect(await leftovers()).toEqual([]);
  });

  it('leaves folders of JavaScript modules to Node', async () => {
    const only = await write('only.js', 'export const x = 1;\n');
    expect(await inNode([only], 'return loaded === undefined ? "handed back" : "bundled";')).toBe('handed back');
  });
});
