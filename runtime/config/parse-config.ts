/**
 * Turns what a user passes to `initChronos` into a validated config, or a {@link ConfigError}
 * listing every problem with its path and fix. Nothing is opened before this succeeds.
 */
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { fromZodIssues } from '../validation/zod-issues.js';
import { crossCheckConfig } from './cross-checks.js';
import { applyDeclarations, collectDeclarations } from './declared-collections.js';
import type { AnyCollectionDefinition } from '../schema/define-collection.js';
import { chronosConfigSchema, type ChronosConfig, type ParsedChronosConfig } from './schema.js';

/** The message of a config issue: zod's, but naming unknown options and missing required ones plainly. */
function configMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown option(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove or correct the spelling`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `is required (expected ${issue.expected})`;
  return issue.message;
}

/**
 * Validates a Chronos configuration and fills in the defaults of the chronos-db API.
 *
 * @throws {@link ConfigError} with one issue per problem (shape problems first, then cross-checks
 *   such as unknown connection references, duplicate tenants and invalid bucket names).
 */
export function parseConfig(input: ChronosConfig): ParsedChronosConfig {
  const parsed = chronosConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(fromZodIssues(parsed.error.issues, { message: configMessage }));
  const issues = crossCheckConfig(parsed.data);
  if (issues.length > 0) throw new ConfigError(issues);
  const { declarations, issues: declarationIssues } = parsed.data.collections === undefined ? { declarations: [], issues: [] } : collectDeclarations(parsed.data.collections);
  declarationIssues.push(...applyDeclarations(parsed.data, declarations));
  if (declarationIssues.length > 0) throw new ConfigError(declarationIssues);
  if (parsed.data.collections !== undefined) parsed.data.collections = declarations;
  return parsed.data;
}

const byName = new WeakMap<object, ReadonlyMap<string, AnyCollectionDefinition>>();

/** The declarations a parsed config was given in `collections`, by collection name (empty when none). */
export function declarationsOf(config: ParsedChronosConfig): ReadonlyMap<string, AnyCollectionDefinition> {
  const list = config.collections as readonly AnyCollectionDefinition[] | undefined;
  if (!list) return new Map();
  let map = byName.get(list);
  if (!map) {
    map = new Map(list.map((d) => [d.name, d]));
    byName.set(list, map);
  }
  return map;
}
