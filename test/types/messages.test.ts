/**
 * The compile errors of common mistakes name the fix. Each case is a small file compiled with the
 * TypeScript compiler API against the repository's declarations and generated code; the test
 * asserts the text of the error, not only that there is one, and that the correct form compiles.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

const HEADER = `import { z } from 'zod';
import { defineCollection } from '../runtime/schema/index.js';
import type { OrdersInput, OrdersRepository, Repositories } from '../generated/index.js';
import type { PresignedUrl } from '../runtime/schema/index.js';
declare const repos: Repositories;
declare const orders: OrdersRepository;
declare const input: OrdersInput;
const schema = z.object({ ref: z.string(), amount: z.number(), status: z.enum(['new', 'paid']), note: z.string().optional(), doc: z.string().optional() });
const place = { databaseType: 'runtime', tiers: ['tenant'] } as const;
export {};
`;

/** Each case: code that must fail with a message containing `message`, and code that must compile. */
const CASES = {
  domain: {
    wrong: `void repos.runtime.tenant('acme').orders.create(input);`,
    right: `void repos.runtime.tenant('acme', { domain: 'retail' }).orders.create(input);`,
    message: 'orders needs { domain }: its entities live in a domain tier; call tenant(tenantId, { domain })',
  },
  placement: {
    wrong: `void repos.metadata.tenant('acme').products.getLatest('p1');`,
    right: `void repos.knowledge.domain('retail').products.getLatest('p1');`,
    message: 'products is not placed in metadata/tenant: it is placed in knowledge/domain',
  },
  filter: {
    wrong: `void orders.listByMeta({ filter: { quantity: 2 } });`,
    right: `void orders.listByMeta({ filter: { total: { $gte: 2 } } });`,
    message: 'quantity is not indexed: add it to indexedProps to filter or sort on it',
  },
  sort: {
    wrong: `void orders.listByMeta({ sort: { quantity: 1 } });`,
    right: `void orders.listByMeta({ sort: { total: 1 } });`,
    message: 'quantity is not indexed: add it to indexedProps to filter or sort on it',
  },
  counterKey: {
    wrong: `defineCollection({ name: 'a', schema, indexedProps: ['ref'], placement: place, counterRules: [{ name: 'noted', when: { note: 'x' } }] });`,
    right: `defineCollection({ name: 'a', schema, indexedProps: ['ref'], placement: place, counterRules: [{ name: 'noted', scope: 'payload', when: { note: 'x' } }] });`,
    message: "counterRules[0].when.note: not an indexed prop (index it, or use scope 'payload' to read the record's data)",
  },
  counterValue: {
    wrong: `defineCollection({ name: 'a', schema, indexedProps: ['status'], placement: place, counterRules: [{ name: 'paid', on: ['UPDATE'], when: { status: 'payed' } }] });`,
    right: `defineCollection({ name: 'a', schema, indexedProps: ['status'], placement: place, counterRules: [{ name: 'paid', on: ['UPDATE'], when: { status: 'paid' } }] });`,
    message: "counterRules[0].when.status: the value is not of the field's type ('new' | 'paid')",
  },
  counterOperand: {
    wrong: `defineCollection({ name: 'a', schema, indexedProps: ['amount'], placement: place, counterRules: [{ name: 'big', when: { amount: { $gte: '100' } } }] });`,
    right: `defineCollection({ name: 'a', schema, indexedProps: ['amount'], placement: place, counterRules: [{ name: 'big', when: { amount: { $gte: 100 } } }] });`,
    message: "counterRules[0].when.amount: the value is not of the field's type (number)",
  },
  indexedProp: {
    wrong: `defineCollection({ name: 'a', schema, indexedProps: ['reff'], placement: place });`,
    right: `defineCollection({ name: 'a', schema, indexedProps: ['ref'], placement: place });`,
    message: 'reff: not a field of the schema (use a top-level key or parent.child)',
  },
  base64Prop: {
    wrong: `defineCollection({ name: 'a', schema, indexedProps: [], base64Props: { amount: { contentType: 'x' } }, placement: place });`,
    right: `defineCollection({ name: 'a', schema, indexedProps: [], base64Props: { doc: { contentType: 'x' } }, placement: place });`,
    message: 'amount: not a string field (base64 props hold base64 text)',
  },
  presigned: {
    wrong: `void (async () => { const url: string | undefined = (await orders.getLatest('id'))?.invoicePdf; const link: PresignedUrl | undefined = url; return link; })();`,
    right: `void (async () => { const link: PresignedUrl | undefined = (await orders.getLatest('id', { presign: true }))?.invoicePdf; return link; })();`,
    message: "Type 'string' is not assignable to type 'PresignedUrl'",
  },
} as const;

let dir: string;
let diagnostics: Map<string, string[]>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(root, '.tmp-types-'));
  const files: string[] = [];
  for (const [name, c] of Object.entries(CASES)) {
    for (const variant of ['wrong', 'right'] as const) {
      const file = path.join(dir, `${name}-${variant}.ts`);
      await writeFile(file, `${HEADER}${c[variant]}\n`);
      files.push(file);
    }
  }
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  diagnostics = new Map(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName;
    if (file && diagnostics.has(path.resolve(file))) diagnostics.get(path.resolve(file))!.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('compile errors name the fix', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: "${c.message}"`, () => {
      expect(diagnostics.get(path.join(dir, `${name}-right.ts`))).toEqual([]);
      const errors = diagnostics.get(path.join(dir, `${name}-wrong.ts`))!;
      expect(errors.length).toBeGreaterThan(0);
      if (process.env.SHOW_MESSAGES) console.log(name, errors);
      expect(errors.join('\n')).toContain(c.message);
    });
  }
});
