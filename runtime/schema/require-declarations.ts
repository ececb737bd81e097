/**
 * The check the generated `createRepositories` runs: the instance must have been given the same
 * declarations (`initChronos({ collections })`), or typed writes would reach an engine that
 * neither indexes their props, externalises their base64 props, counts their rules nor validates
 * what untyped callers write to the same collections.
 */
import { ConfigError, type ErrorIssue } from '../errors.js';
import type { ChronosLike } from './chronos-like.js';

/**
 * Throws a {@link ConfigError} naming each declared collection the instance does not know. An
 * instance without `declarations` (a hand-made {@link ChronosLike}) is not checked.
 */
export function requireDeclarations(chronos: ChronosLike, collections: readonly { readonly name: string }[]): void {
  const known = chronos.declarations;
  if (!known) return;
  const issues: ErrorIssue[] = collections
    .filter((c) => !known.has(c.name))
    .map((c) => ({ path: ['collections', c.name], message: `"${c.name}" is not among the declarations this instance was given` }));
  if (issues.length > 0) {
    throw new ConfigError(issues, 'createRepositories: pass the generated `collections` to initChronos, e.g. initChronos({ ...config, collections }) with `import { collections } from \'./generated/index.js\'`');
  }
}
