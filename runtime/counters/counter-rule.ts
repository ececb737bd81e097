/**
 * Counter rules: which committed writes a named counter counts, and which props it counts
 * unique values of. Evaluated in memory on every {@link WriteEvent}; no database is read.
 */
import { z } from 'zod';
import type { WriteEvent, WriteKind } from '../ops/write-event.js';
import { matchesPredicate, predicateSchema, readPath, type Predicate } from '../analytics/predicate.js';

/** Rule names and unique props become Mongo field names, so they must be plain identifiers. */
const RULE_NAME = /^(?!__proto__$)[A-Za-z0-9_-]+$/;
const PROP_PATH = /^(?!(?:.*\.)?__proto__(?:\.|$))[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * The kinds a rule counts when `on` is absent. The chronos-db examples always say
 * `on: ['CREATE']` and its totals count `rules.<name>.created`; we default to CREATE only, so an
 * omitted `on` never counts a record twice as it is updated.
 */
const DEFAULT_RULE_KINDS: readonly WriteKind[] = ['CREATE'];

/**
 * Zod schema of one counter rule, reused by the config schema. Refuses `$where`, `$function`,
 * `$accumulator` and unknown operators in `when`, names that cannot be field names, and
 * `countUnique` props where one is a prefix of another (their counters would collide).
 */
export const counterRuleSchema = z
  .strictObject({
    name: z.string().regex(RULE_NAME, 'use letters, digits, "_" or "-" (it becomes a field name in cnt_total)'),
    on: z.array(z.enum(['CREATE', 'UPDATE', 'DELETE'])).min(1, 'name at least one of CREATE, UPDATE, DELETE, or omit it for CREATE').optional(),
    scope: z.enum(['meta', 'payload']).default('meta'),
    when: predicateSchema.default({}),
    countUnique: z.array(z.string().regex(PROP_PATH, 'use a dot path such as "customer.id"')).optional(),
    /**
     * `every` (default): every write of a kind in `on` where `when` holds. `transition`: only the
     * write whose new version makes `when` hold while the version it replaced did not (a create
     * that matches counts). `transitions`: also the write after which it stops holding (a delete
     * of a matching record included), counted as rule `<name>_left`. Semantics:
     * runtime/counters/counter-protocol.md.
     */
    count: z.enum(['every', 'transition', 'transitions']).default('every'),
    /** Count writes to this collection only (rules derived from a declaration carry it); absent = every runtime collection. */
    collection: z.string().min(1).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.count !== 'every' && rule.scope === 'payload') {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'transitions compare the indexed props of a version with those of the version it replaced: use scope "meta"' });
    }
    const props = rule.countUnique ?? [];
    props.forEach((prop, i) => {
      if (props.some((other, j) => j !== i && (other === prop ? j < i : prop.startsWith(`${other}.`)))) {
        ctx.addIssue({ code: 'custom', path: ['countUnique', i], message: `"${prop}" repeats or lies inside another countUnique prop; list each once` });
      }
    });
  });

/** A counter rule as written in the config. */
export type CounterRuleInput = z.input<typeof counterRuleSchema>;

/** A counter rule after validation, with defaults applied. */
export type CounterRule = z.output<typeof counterRuleSchema>;

/** What one rule counts for one event: the rule and the unique values it saw. */
export interface RuleHit {
  rule: string;
  /** prop → value, only for countUnique props the event has (not undefined or null). */
  uniques: Array<{ prop: string; value: unknown }>;
}

/** The source a rule's `when` and `countUnique` read: `meta` (indexed props) or `payload` (data). */
function sourceOf(event: WriteEvent, scope: CounterRule['scope']): Record<string, unknown> {
  return scope === 'payload' ? event.data : event.meta;
}

/** Every rule that counts `event`, with the unique values to record for it. */
export function evaluateRules(event: WriteEvent, rules: readonly CounterRule[]): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    if (!(rule.on ?? DEFAULT_RULE_KINDS).includes(event.kind)) continue;
    if (rule.collection !== undefined && rule.collection !== event.collection) continue;
    const source = sourceOf(event, rule.scope);
    const count = rule.count ?? 'every';
    if (count === 'every') {
      if (matchesPredicate(source, rule.when as Predicate)) hits.push({ rule: rule.name, uniques: uniquesOf(rule, source) });
      continue;
    }
    const transition = transitionOf(event, rule.when as Predicate);
    if (transition === 'entered') hits.push({ rule: rule.name, uniques: uniquesOf(rule, source) });
    if (transition === 'left' && count === 'transitions') hits.push({ rule: leftRuleName(rule.name), uniques: [] });
  }
  return hits;
}

/** The counter a `transitions` rule counts its leaving writes under. */
function leftRuleName(name: string): string {
  return `${name}_left`;
}

/**
 * Whether `event` makes its record enter or leave the set `when` describes: the new version is in
 * it when it matches and is not a delete; the replaced version when it existed and matched.
 */
function transitionOf(event: WriteEvent, when: Predicate): 'entered' | 'left' | undefined {
  const now = event.kind !== 'DELETE' && matchesPredicate(event.meta, when);
  const before = event.previousMeta !== null && matchesPredicate(event.previousMeta, when);
  if (now && !before) return 'entered';
  if (before && !now) return 'left';
  return undefined;
}

function uniquesOf(rule: CounterRule, source: Record<string, unknown>): RuleHit['uniques'] {
  const uniques: RuleHit['uniques'] = [];
  for (const prop of rule.countUnique ?? []) {
    const value = readPath(source, prop);
    if (value !== undefined && value !== null) uniques.push({ prop, value });
  }
  return uniques;
}
