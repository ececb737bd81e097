import { describe, expect, it } from 'vitest';
import { checkPredicate, matchesPredicate, predicateSchema } from '../../runtime/analytics/predicate.js';

const doc = { status: 'paid', amount: 120, tags: ['a', 'b'], customer: { tier: 'gold', id: 'c1' }, 'flat.key': 7, at: new Date('2026-01-02T00:00:00Z') };

describe('predicate matching', () => {
  it('matches equality on a value, on an array element and on a nested dot path', () => {
    expect(matchesPredicate(doc, { status: 'paid' })).toBe(true);
    expect(matchesPredicate(doc, { status: 'open' })).toBe(false);
    expect(matchesPredicate(doc, { tags: 'b' })).toBe(true);
    expect(matchesPredicate(doc, { 'customer.tier': 'gold' })).toBe(true);
    expect(matchesPredicate(doc, { 'flat.key': 7 })).toBe(true);
  });

  it('applies $gt $gte $lt $lte only between values of the same type', () => {
    expect(matchesPredicate(doc, { amount: { $gt: 119 } })).toBe(true);
    expect(matchesPredicate(doc, { amount: { $gt: 120 } })).toBe(false);
    expect(matchesPredicate(doc, { amount: { $gte: 120 } })).toBe(true);
    expect(matchesPredicate(doc, { amount: { $lt: 120 } })).toBe(false);
    expect(matchesPredicate(doc, { amount: { $lte: 120 } })).toBe(true);
    expect(matchesPredicate(doc, { amount: { $gt: '100' } })).toBe(false);
    expect(matchesPredicate(doc, { status: { $gte: 'paid', $lt: 'paie' } })).toBe(true);
    expect(matchesPredicate(doc, { at: { $gte: new Date('2026-01-01T00:00:00Z') } })).toBe(true);
    expect(matchesPredicate(doc, { missing: { $lt: 5 } })).toBe(false);
  });

  it('applies $in $nin $ne $eq with array-element semantics and missing fields', () => {
    expect(matchesPredicate(doc, { status: { $in: ['open', 'paid'] } })).toBe(true);
    expect(matchesPredicate(doc, { status: { $nin: ['open', 'paid'] } })).toBe(false);
    expect(matchesPredicate(doc, { tags: { $in: ['z', 'a'] } })).toBe(true);
    expect(matchesPredicate(doc, { status: { $ne: 'paid' } })).toBe(false);
    expect(matchesPredicate(doc, { missing: { $ne: 'x' } })).toBe(true);
    expect(matchesPredicate(doc, { missing: { $nin: ['x'] } })).toBe(true);
    expect(matchesPredicate(doc, { amount: { $eq: 120 } })).toBe(true);
  });

  it('applies $exists to present and missing fields', () => {
    expect(matchesPredicate(doc, { 'customer.id': { $exists: true } })).toBe(true);
    expect(matchesPredicate(doc, { 'customer.nope': { $exists: true } })).toBe(false);
    expect(matchesPredicate(doc, { 'customer.nope': { $exists: false } })).toBe(true);
  });

  it('requires every condition to hold', () => {
    expect(matchesPredicate(doc, { status: 'paid', amount: { $gte: 100 } })).toBe(true);
    expect(matchesPredicate(doc, { status: 'paid', amount: { $gte: 500 } })).toBe(false);
  });
});

describe('predicate checking', () => {
  it('refuses server-side code anywhere and names where it is', () => {
    expect(checkPredicate({ $where: 'this.a' })[0]?.path).toEqual(['$where']);
    expect(checkPredicate({ amount: { $function: {} } })[0]?.message).toMatch(/\$function runs code/);
    expect(checkPredicate({ amount: { $accumulator: {} } })[0]?.path).toEqual(['amount', '$accumulator']);
    expect(checkPredicate({ amount: { $in: [{ $where: 'x' }] } })[0]?.path).toEqual(['amount', '$in', 0, '$where']);
  });

  it('refuses unknown operators, top-level logic, mixed keys and malformed arguments', () => {
    expect(checkPredicate({ amount: { $regex: 'x' } })[0]?.message).toMatch(/unknown operator \$regex/);
    expect(checkPredicate({ $or: [] })[0]?.message).toMatch(/not supported at the top level/);
    expect(checkPredicate({ amount: { $gt: 1, plain: 2 } })[0]?.message).toMatch(/cannot mix/);
    expect(checkPredicate({ amount: { $in: 3 } })[0]?.message).toMatch(/array/);
    expect(checkPredicate({ amount: { $exists: 'yes' } })[0]?.message).toMatch(/true or false/);
    expect(checkPredicate({ 'a..b': 1 })[0]?.message).toMatch(/dot paths/);
  });

  it('accepts a predicate of allowed operators, and the schema reports issues with paths', () => {
    expect(checkPredicate({ status: 'paid', amount: { $gte: 1, $lt: 9 }, tags: { $nin: ['x'] }, x: { $exists: false } })).toEqual([]);
    const parsed = predicateSchema.safeParse({ amount: { $where: 'x' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['amount', '$where']);
  });
});
