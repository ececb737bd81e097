/**
 * The error hierarchy of Chronos. Every error the engine raises on purpose is a
 * {@link ChronosError} with a stable {@link ChronosError.code}; callers branch on the subclass
 * (or on {@link isChronosError} plus `code`, which survives two copies of the package).
 *
 * @packageDocumentation
 */

import { redactSecrets, scrubError } from './security/redact-secrets.js';

const CHRONOS_ERROR_BRAND = Symbol.for('chronos-db.error');

/** Stable machine-readable codes, one per error class. */
export type ChronosErrorCode =
  | 'CHRONOS_ERROR'
  | 'CONFIG_INVALID'
  | 'VALIDATION_FAILED'
  | 'ROUTE_UNRESOLVED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'STORAGE_FAILED'
  | 'DATABASE_FAILED'
  | 'OUTCOME_UNKNOWN'
  | 'COUNTERS_PENDING'
  | 'UPCAST_FAILED';

/**
 * Base class of every error Chronos raises on purpose.
 *
 * `instanceof` can lie when a dual ESM/CJS build loads the package twice; use
 * {@link isChronosError} for a check that survives that.
 */
export class ChronosError extends Error {
  /** A stable code that does not change between releases. */
  readonly code: ChronosErrorCode;

  constructor(message: string, code: ChronosErrorCode = 'CHRONOS_ERROR', options?: { cause?: unknown }) {
    // Wrapped driver and SDK errors may quote URLs with credentials: none reach a caller or a log.
    super(redactSecrets(message), options?.cause === undefined ? options : { cause: scrubError(options.cause) });
    // Chronos's own subclasses set their name as a field; a caller's subclass keeps its class name.
    this.name = new.target === ChronosError ? 'ChronosError' : new.target.name;
    this.code = code;
    Object.defineProperty(this, CHRONOS_ERROR_BRAND, { value: true, enumerable: false });
  }
}

/**
 * One problem found in a piece of input, addressed by its path (as zod reports it). Print the
 * path with {@link formatIssuePath} (`tenantDatabases[0].dbConnRef`).
 */
export interface ErrorIssue {
  /**
   * zod's issue code (`invalid_type`, `too_small`, `unrecognized_keys`, `custom`, …) when a schema
   * found the problem, to branch on; absent for Chronos's own checks.
   */
  readonly code?: string;
  /** Where the problem is, as keys and indices, e.g. `['databases', 'runtime', 'tenantDatabases', 0, 'dbConnRef']`. */
  readonly path: ReadonlyArray<string | number>;
  /** What is wrong and, where possible, how to fix it. */
  readonly message: string;
}

/** Renders an issue path the way users write it: `a.b[0].c`. */
export function formatIssuePath(path: ReadonlyArray<string | number | symbol>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Issues whose messages quote no credential (an echoed endpoint or URI may carry one). */
function redactIssues(issues: readonly ErrorIssue[]): readonly ErrorIssue[] {
  return issues.map((issue) => ({ ...issue, message: redactSecrets(issue.message) }));
}

function describeIssues(headline: string, issues: readonly ErrorIssue[]): string {
  if (issues.length === 0) return headline;
  const lines = issues.map((issue) => `  - ${formatIssuePath(issue.path)}: ${issue.message}`);
  return `${headline}\n${lines.join('\n')}`;
}

/** The configuration passed to `initChronos` is malformed or inconsistent. Nothing was opened. */
export class ConfigError extends ChronosError {
  /** The class name, kept explicitly: bundlers may rename classes (`_ConfigError`). */
  override readonly name: string = 'ConfigError';

  /** Every problem found, each with its path in the config. */
  readonly issues: readonly ErrorIssue[];

  constructor(issues: readonly ErrorIssue[], headline = 'Invalid Chronos configuration') {
    super(describeIssues(headline, issues), 'CONFIG_INVALID');
    this.issues = redactIssues(issues);
  }
}

/** Caller input (a record, an id, a filter, a version number) was refused before anything was written. */
export class ValidationError extends ChronosError {
  /** The class name, kept explicitly: bundlers may rename classes (`_ValidationError`). */
  override readonly name: string = 'ValidationError';

  /** Every problem found, with zod issue paths where the input was validated by a schema. */
  readonly issues: readonly ErrorIssue[];

  constructor(issues: readonly ErrorIssue[], headline = 'Invalid input') {
    super(describeIssues(headline, issues), 'VALIDATION_FAILED');
    this.issues = redactIssues(issues);
  }

  /** Shorthand for a single problem at one path. */
  static at(path: ReadonlyArray<string | number>, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

/** A context (`databaseType`, `tier`, `tenantId`, `domain`) names nothing that is configured. */
export class RouteError extends ChronosError {
  /** The class name, kept explicitly: bundlers may rename classes (`_RouteError`). */
  override readonly name: string = 'RouteError';

  constructor(message: string) {
    super(message, 'ROUTE_UNRESOLVED');
  }
}

/** The record, version or object asked for does not exist. */
export class NotFoundError extends ChronosError {
  /** The class name, kept explicitly: bundlers may rename classes (`_NotFoundError`). */
  override readonly name: string = 'NotFoundError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'NOT_FOUND', options);
  }
}

/**
 * A compare-and-set lost: the record's head is not at the version the caller expected, or
 * another writer claimed the same version first. Re-read and retry with {@link currentOv}.
 */
export class ConflictError extends ChronosError {
  /** The class name, kept explicitly: bundlers may rename classes (`_ConflictError`). */
  override readonly name: string = 'ConflictError';

  /** The record's current object version (`-1` when the record does not exist). */
  readonly currentOv: number;
  /** The version the caller expected, if it named one. */
  readonly expectedOv: number | undefined;

  constructor(message: string, currentOv: number, expectedOv?: number) {
    super(message, 'CONFLICT');
    this.currentOv = currentOv;
    this.expectedOv = expectedOv;
  }
}

/** An object-storage operation failed for a reason other than a missing key. */
export class StorageError extends ChronosError {
  /** The class name, kept explicitly: bundlers may rename classes (`_StorageError`). */
  override readonly name: string = 'StorageError';

  /** True when a retry may succeed (a timeout, a 5xx, a dropped connection). */
  readonly transient: boolean;

  constructor(message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, 'STORAGE_FAILED', { cause: options?.cause });
    this.transient = options?.transient ?? false;
  }
}

/**
 * A MongoDB operation failed (the server refused it, or could not be reached within the retry
 * budget). The driver's error is the `cause`; `transient` says whether a later retry may succeed.
 */
export class DatabaseError extends ChronosError {
  /** True when a retry may succeed (a dropped connection, a busy or stepping-down server, a timeout). */
  readonly transient: boolean;

  constructor(message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, 'DATABASE_FAILED', { cause: options?.cause });
    this.transient = options?.transient ?? false;
  }
}

/**
 * A write may or may not have happened: the failure came at a point where Chronos cannot tell
 * (the version's payload is complete but the step that makes it visible could not be confirmed).
 * Such a version is never half-visible: it either never becomes visible, or becomes visible as a
 * whole when the next writer of the record or `admin.reconcile()` rolls it forward. Check with
 * `getVersion(id, ov)` or look for {@link opId} in `history(id)`.
 */
export class WriteOutcomeUnknownError extends ChronosError {
  /** The record written. */
  readonly id: string;
  /** The version the write would have created. */
  readonly ov: number;
  /** The operation id recorded with that version (the caller's `opId`, or one Chronos generated). */
  readonly opId: string;

  constructor(message: string, details: { id: string; ov: number; opId: string; cause?: unknown }) {
    super(message, 'OUTCOME_UNKNOWN', { cause: details.cause });
    this.id = details.id;
    this.ov = details.ov;
    this.opId = details.opId;
  }
}

/**
 * A stored version could not be brought to the collection's current declaration: an upcaster
 * threw, or its result (or the stored data, when no upcaster applies) does not match the current
 * schema. Nothing is returned in its place; `getLatest(id, { raw: true })` / `getVersion(id, ov,
 * { raw: true })` still give the payload as stored.
 */
export class UpcastError extends ChronosError {
  /** The class name, kept explicitly: bundlers may rename classes (`_UpcastError`). */
  override readonly name: string = 'UpcastError';
  readonly collection: string;
  readonly id: string;
  readonly ov: number;
  /** The declaration revision the version was written under. */
  readonly revision: number;
  /** The revision it was being brought to. */
  readonly targetRevision: number;
  /** The schema's issues (paths inside the record), or the upcaster's failure at the root. */
  readonly issues: readonly ErrorIssue[];

  constructor(details: { collection: string; id: string; ov: number; revision: number; targetRevision: number; issues: readonly ErrorIssue[]; cause?: unknown }) {
    const headline =
      `${details.collection}/${details.id} v${details.ov} was written under revision ${details.revision} of its declaration ` +
      `and cannot be brought to revision ${details.targetRevision}: fix the upcasters of ${details.collection}, or read it with { raw: true }`;
    super(describeIssues(headline, details.issues), 'UPCAST_FAILED', { cause: details.cause });
    this.collection = details.collection;
    this.id = details.id;
    this.ov = details.ov;
    this.revision = details.revision;
    this.targetRevision = details.targetRevision;
    this.issues = details.issues;
  }
}

/**
 * True when `value` is an error raised by Chronos, even one from another copy of the package.
 *
 * @example
 * ```ts
 * try { await ops.update(id, data, ov); }
 * catch (e) { if (isChronosError(e) && e.code === 'CONFLICT') retry(); else throw e; }
 * ```
 */
export function isChronosError(value: unknown): value is ChronosError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CHRONOS_ERROR_BRAND] === true;
}
