/**
 * The `collections` option of `initChronos`: the collection declarations (a list, or the module
 * `chronos generate` wrote, which exports them as `collections`). Every per-collection setting is
 * derived from them (indexed props, base64 props, required indexed props, counter rules, schema
 * validation), so an application names its collections in one place. A hand-written
 * `collectionMaps` entry or counter rule that says something else about a declared collection is
 * refused rather than silently preferred.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ErrorIssue } from '../errors.js';
import { counterRuleSchema, type CounterRule } from '../counters/counter-rule.js';
import { isCollectionDefinition, type AnyCollectionDefinition } from '../schema/define-collection.js';
import { collectionMapsFrom, counterRulesFrom } from '../schema/derive-config.js';
import type { CollectionMapConfig } from './schema.js';

/** A declaration as `initChronos` sees it; made by `defineCollection`, checked at run time. */
export interface DeclaredCollection {
  readonly name: string;
  readonly schema: object;
  readonly indexedProps: readonly string[];
}

/** What `collections` accepts: the declarations, or a module that exports them as `collections` (the generated index). */
export type CollectionsInput = readonly DeclaredCollection[] | { readonly collections: readonly DeclaredCollection[] };

/** The declarations named by a {@link CollectionsInput}, or the issues that make it unusable. */
export function collectDeclarations(input: unknown): { declarations: AnyCollectionDefinition[]; issues: ErrorIssue[] } {
  const list: unknown = Array.isArray(input) ? input : (input as { collections?: unknown } | null)?.collections;
  const base = Array.isArray(input) ? ['collections'] : ['collections', 'collections'];
  if (!Array.isArray(list)) {
    return { declarations: [], issues: [{ path: ['collections'], message: 'expected a list of declarations made by defineCollection, or the module chronos generate wrote (it exports them as `collections`)' }] };
  }
  const issues: ErrorIssue[] = [];
  const byName = new Map<string, AnyCollectionDefinition>();
  list.forEach((value: unknown, i) => {
    if (!isCollectionDefinition(value)) {
      issues.push({ path: [...base, i], message: 'is not a collection declaration: make it with defineCollection' });
      return;
    }
    const seen = byName.get(value.name);
    if (seen && seen !== value) issues.push({ path: [...base, i], message: `collection "${value.name}" is declared twice with different declarations` });
    byName.set(value.name, seen ?? value);
  });
  return { declarations: [...byName.values()], issues };
}

interface ConfigParts {
  collectionMaps: Record<string, { indexedProps: string[]; base64Props: Record<string, unknown>; validation?: { requiredIndexed: string[] } | undefined }>;
  counterRules?: { rules: CounterRule[] } | undefined;
  analytics?: { counterRules?: CounterRule[] | undefined } | undefined;
}

/** A map entry as the config schema normalises it, so a derived entry and a hand-written one compare equal when they mean the same. */
function normalisedMap(map: CollectionMapConfig): unknown {
  return {
    indexedProps: [...(map.indexedProps ?? [])],
    base64Props: Object.fromEntries(Object.entries(map.base64Props ?? {}).map(([k, v]) => [k, { ...v }])),
    requiredIndexed: [...(map.validation?.requiredIndexed ?? [])],
  };
}

/**
 * Merges what the declarations imply into `collectionMaps` and the counter rules, in place.
 * Returns one issue per hand-written setting that contradicts a declaration.
 */
export function applyDeclarations(config: ConfigParts, declarations: readonly AnyCollectionDefinition[]): ErrorIssue[] {
  if (declarations.length === 0) return [];
  const issues: ErrorIssue[] = [];
  for (const [name, derived] of Object.entries(collectionMapsFrom(declarations))) {
    const written = config.collectionMaps[name];
    if (written && !isDeepStrictEqual(normalisedMap(written as CollectionMapConfig), normalisedMap(derived))) {
      issues.push({
        path: ['collectionMaps', name],
        message: `differs from the declaration of "${name}" passed in collections: remove this entry (the declaration is the single source of its settings)`,
      });
      continue;
    }
    config.collectionMaps[name] = {
      indexedProps: [...(derived.indexedProps ?? [])],
      base64Props: { ...derived.base64Props },
      ...(derived.validation && { validation: { requiredIndexed: [...(derived.validation.requiredIndexed ?? [])] } }),
    };
  }
  const written = config.counterRules?.rules?.length ? config.counterRules.rules : (config.analytics?.counterRules ?? []);
  const rules = [...written];
  for (const declared of counterRulesFrom(declarations).rules.map((r) => counterRuleSchema.parse(r))) {
    const same = rules.find((r) => r.name === declared.name);
    if (!same) rules.push(declared);
    else if (!isDeepStrictEqual(same, declared)) {
      issues.push({
        path: ['counterRules', 'rules', rules.indexOf(same)],
        message: `counter rule "${declared.name}" differs from the one declared on collection "${declared.collection}": remove it here (declarations are the single source)`,
      });
    }
  }
  config.counterRules = { rules };
  if (config.analytics?.counterRules) config.analytics.counterRules = rules;
  return issues;
}
