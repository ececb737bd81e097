/**
 * Derives the `collectionMaps` and `counterRules` parts of an `initChronos` configuration from
 * the declarations, so they are never written twice.
 */
import { ConfigError, type ErrorIssue } from '../errors.js';
import type { CounterRuleInput } from '../counters/counter-rule.js';
import type { CollectionMapConfig } from '../config/schema.js';
import type { AnyCollectionDefinition } from './define-collection.js';


function refuseDuplicates(names: readonly string[], what: string, path: string): void {
  const seen = new Set<string>();
  const issues: ErrorIssue[] = [];
  names.forEach((name, i) => {
    if (seen.has(name)) issues.push({ path: [path, i], message: `${what} "${name}" is declared twice: names must be unique` });
    seen.add(name);
  });
  if (issues.length > 0) throw new ConfigError(issues, 'Conflicting collection declarations');
}

/**
 * `collectionMaps` for `initChronos`, keyed by collection name.
 *
 * @example
 * ```ts
 * const chronos = initChronos({ ...config, collectionMaps: collectionMapsFrom([orders, customers]) });
 * ```
 */
export function collectionMapsFrom(collections: readonly AnyCollectionDefinition[]): Record<string, CollectionMapConfig> {
  refuseDuplicates(collections.map((c) => c.name), 'collection', 'collections');
  const maps: Record<string, CollectionMapConfig> = {};
  for (const c of collections) {
    const map: CollectionMapConfig = { indexedProps: [...c.indexedProps] };
    if (Object.keys(c.base64Props).length > 0) map.base64Props = { ...c.base64Props };
    if (c.validation.requiredIndexed) map.validation = { requiredIndexed: [...c.validation.requiredIndexed] };
    maps[c.name] = map;
  }
  return maps;
}

/**
 * `counterRules` for `initChronos`: the rules of every declaration, in order, each limited to
 * its own collection; a rule name used twice is refused. Passing the declarations as
 * `initChronos({ collections })` does this (and {@link collectionMapsFrom}) for you.
 */
export function counterRulesFrom(collections: readonly AnyCollectionDefinition[]): { rules: CounterRuleInput[] } {
  const rules = collections.flatMap((c) => c.counterRules.map((rule) => ({ ...rule, collection: c.name })));
  refuseDuplicates(rules.map((r) => r.name), 'counter rule', 'counterRules');
  return { rules };
}
