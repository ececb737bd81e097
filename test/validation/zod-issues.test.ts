/**
 * The one zod-issue mapper (`runtime/validation/zod-issues.ts`): issues keep zod's code and their
 * path as keys and indices, and every error prints an index as `a[0]`.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError, formatIssuePath } from '../../runtime/errors.js';
import { fromZodIssues } from '../../runtime/validation/zod-issues.js';
import { parseInput } from '../../runtime/validation/parse-input.js';
import { parseConfig } from '../../runtime/config/parse-config.js';
import type { ChronosConfig } from '../../runtime/config/schema.js';

const order = z.object({ lines: z.array(z.object({ qty: z.number().int().positive() })) }).strict();

function issuesOf(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected the input to be refused');
  return result.error.issues;
}

describe('mapping zod issues', () => {
  it("keeps zod's code and the path as keys and indices", () => {
    const mapped = fromZodIssues(issuesOf(order, { lines: [{ qty: 1 }, { qty: 'two' }], extra: true }));
    expect(mapped).toEqual([
      { code: 'invalid_type', path: ['lines', 1, 'qty'], message: expect.any(String) },
      { code: 'unrecognized_keys', path: [], message: expect.any(String) },
    ]);
  });

  it('puts the prefix before every path and lets a caller word the message', () => {
    const mapped = fromZodIssues(issuesOf(order, { lines: [{ qty: 0 }] }), { prefix: ['payload'], message: (i) => `${i.code}!` });
    expect(mapped).toEqual([{ code: 'too_small', path: ['payload', 'lines', 0, 'qty'], message: 'too_small!' }]);
  });

  it('prints an index as a[0], never a.0', () => {
    const [issue] = fromZodIssues(issuesOf(order, { lines: [{ qty: -1 }] }));
    expect(formatIssuePath(issue?.path ?? [])).toBe('lines[0].qty');
  });
});

describe('the errors that carry them', () => {
  it('a ValidationError from parseInput carries the code and prints the index in brackets', () => {
    const error = (() => {
      try {
        parseInput(order, { lines: [{ qty: 1.5 }] }, ['data']);
      } catch (e) {
        return e;
      }
      throw new Error('expected a ValidationError');
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ code: 'invalid_type', path: ['data', 'lines', 0, 'qty'], message: expect.any(String) }]);
    expect((error as ValidationError).message).toContain('data.lines[0].qty');
  });

  it("a ConfigError keeps zod's code beside its own wording", () => {
    let caught: unknown;
    try {
      parseConfig({ mongoConns: [], unknownOption: 1 } as unknown as ChronosConfig);
    } catch (e) {
      caught = e;
    }
    const issues = (caught as { issues: Array<{ code?: string; message: string }> }).issues;
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', message: expect.stringContaining('"unknownOption"') }));
  });
});
