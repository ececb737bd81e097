/**
 * Writes the 100-collection fixture for the codegen benchmark: declarations (varied schemas,
 * placements and entity mappings) and an app that uses every generated repository.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const PLACEMENTS = [
  "{ databaseType: 'runtime', tiers: ['tenant'] }",
  "{ databaseType: 'metadata', tiers: ['tenant', 'generic'] }",
  "{ databaseType: 'knowledge', tiers: ['domain'] }",
  "{ databaseType: 'logs', tiers: ['single'] }",
];

const ACCESS = ["runtime.tenant('t1')", "metadata.tenant('t1')", "knowledge.domain('d1')", 'logs'];

/** Name of fixture collection `i`. */
function fixtureName(i: number): string {
  return `coll${String(i).padStart(3, '0')}`;
}

function declaration(i: number, runtimeImport: string): string {
  const name = fixtureName(i);
  // Every fifth collection in the runtime tier maps an entity of the previous metadata collection.
  const target = i % 4 === 0 && i >= 4 ? fixtureName(i - 3) : undefined;
  return `import { z } from 'zod';
import { defineCollection } from '${runtimeImport}';
${target ? `import { ${target} } from './${target}.js';\n` : ''}
export const ${name} = defineCollection({
  name: '${name}',
  schema: z.object({
    code: z.string().min(1),
    status: z.enum(['new', 'open', 'closed']),
    amount: z.number(),
    count: z.int().default(0),
    flags: z.array(z.string()).default([]),
    owner: z.object({ ownerId: z.string(), name: z.string(), email: z.email().optional() }),
    address: z.object({ city: z.string(), zip: z.string().nullable() }).optional(),
    tags: z.record(z.string(), z.string()).optional(),
    payload: z.string().optional(),
    ref: z.object({ code: z.string(), status: z.enum(['new', 'open', 'closed']), amount: z.number(), count: z.int().default(0), flags: z.array(z.string()).default([]), owner: z.object({ ownerId: z.string(), name: z.string(), email: z.email().optional() }), address: z.object({ city: z.string(), zip: z.string().nullable() }).optional(), tags: z.record(z.string(), z.string()).optional(), payload: z.string().optional() }).optional(),
  }),
  indexedProps: ['code', 'status', 'amount', 'owner.ownerId'],
  base64Props: { payload: { contentType: 'application/octet-stream' } },
  placement: ${PLACEMENTS[i % 4]},${target ? `\n  entities: [{ property: 'ref', collection: ${target}, keyProperty: 'code', databaseType: 'metadata', tier: 'tenant' }],` : ''}
});
`;
}

function app(count: number, generatedImport: string, appRuntimeImport: string): string {
  const lines = [`import type { ChronosLike } from '${appRuntimeImport}';`, `import { createRepositories } from '${generatedImport}';`, '', 'export async function useAll(chronos: ChronosLike): Promise<number> {', '  const repos = createRepositories(chronos);', '  let total = 0;'];
  for (let i = 0; i < count; i += 1) {
    const name = fixtureName(i);
    lines.push(
      `  {`,
      `    const repo = repos.${ACCESS[i % 4]}.${name};`,
      `    await repo.create({ code: 'c', status: 'new', amount: 1, owner: { ownerId: 'o', name: 'n' } });`,
      `    const page = await repo.listByMeta({ filter: { status: { $in: ['new', 'open'] }, amount: { $gte: 1 }, 'owner.ownerId': 'o' }, sort: { amount: -1 } });`,
      `    const first = page.items[0];`,
      `    if (first) total += first.amount + first.count + first._system.ov;`,
      `    const latest = await repo.getLatest('x');`,
      `    total += latest?.flags.length ?? 0;`,
      `    await repo.enrich('x', { owner: { name: 'm' } });`,
      `  }`,
    );
  }
  lines.push('  return total;', '}', '');
  return lines.join('\n');
}

/** Writes `count` declarations under `dir/schemas` and the app at `dir/app.ts` (imports are relative specifiers of the runtime from each). */
export async function writeFixture(dir: string, count: number, runtimeImport: string, appRuntimeImport: string): Promise<void> {
  await mkdir(path.join(dir, 'schemas'), { recursive: true });
  for (let i = 0; i < count; i += 1) await writeFile(path.join(dir, 'schemas', `${fixtureName(i)}.ts`), declaration(i, runtimeImport));
  await writeFile(path.join(dir, 'app.ts'), app(count, './generated/index.js', appRuntimeImport));
}
