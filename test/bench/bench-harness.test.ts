import { describe, expect, it } from 'vitest';
import { BENCH_SCENARIOS, benchOptions } from '../../bench/bench-config.js';
import { withDefaultPool } from '../../bench/bench-fixture.js';
import { errorLabel } from '../../bench/concurrency-suite.js';
import { summaryTable, verdict } from '../../bench/summary.js';

describe('bench options', () => {
  it('defaults to the sizes the bench targets are stated for, and runs every scenario', () => {
    const o = benchOptions([], {});
    expect(o.quick).toBe(false);
    expect(o.historySteps).toEqual([1, 10, 100, 1_000, 10_000]);
    expect([o.createManyRecords, o.callers, o.callerOps, o.collectionRecords, o.shortHistory]).toEqual([1_000, 8, 25, 10_000, 10]);
    expect(o.only).toEqual([...BENCH_SCENARIOS]);
    expect(o.only).toContain('reconcile');
    expect(o.only).toContain('backfill');
    expect(o.backfillRecords).toBe(10_000);
  });

  it('shrinks every size in quick mode, and a flag still wins over it', () => {
    const o = benchOptions(['--quick', '--history=50'], {});
    expect(o.quick).toBe(true);
    expect(o.historySteps).toEqual([1, 10, 50]);
    expect(o.collectionRecords).toBeLessThan(1_000);
    expect(o.backfillRecords).toBeLessThan(1_000);
    expect(benchOptions(['--only=backfill', '--backfill-records=50'], {})).toMatchObject({ only: ['backfill'], backfillRecords: 50 });
  });

  it('reads BENCH_SOME_NAME from the environment, and argv wins over it', () => {
    expect(benchOptions([], { BENCH_QUICK: '1', BENCH_CREATE_MANY: '40' }).createManyRecords).toBe(40);
    expect(benchOptions(['--create-many=7'], { BENCH_CREATE_MANY: '40' }).createManyRecords).toBe(7);
    expect(benchOptions([], { BENCH_QUICK: '0' }).quick).toBe(false);
  });

  it('refuses an unknown scenario and names the known ones', () => {
    expect(() => benchOptions(['--only=floor,nope'], {})).toThrow(/floor, history, create-many/);
  });

  it('refuses a short history that is not shorter than the long one', () => {
    expect(() => benchOptions(['--history=10'], {})).toThrow(/--short-history/);
  });
});

describe('the default-pool client', () => {
  it('drops only maxPoolSize from the URI', () => {
    expect(withDefaultPool('mongodb://h:1/?maxPoolSize=1')).toBe('mongodb://h:1/');
    expect(withDefaultPool('mongodb://h:1/db?w=majority&maxpoolsize=1&appName=x')).toBe('mongodb://h:1/db?w=majority&appName=x');
    expect(withDefaultPool('mongodb://h:1,h:2/db')).toBe('mongodb://h:1,h:2/db');
  });
});

describe('failure labels', () => {
  it('name the error, its code and its cause', () => {
    const cause = Object.assign(new Error('E11000'), { name: 'MongoServerError', code: 11000 });
    const wrapped = Object.assign(new Error('write failed', { cause }), { name: 'StorageError', code: 'STORAGE_FAILED' });
    expect(errorLabel(wrapped)).toBe('StorageError STORAGE_FAILED ← MongoServerError 11000');
    expect(errorLabel('boom')).toBe('string');
  });
});

describe('summary table', () => {
  it('meets a target only without failures', () => {
    const row = { operation: 'x', engine: '1 ms', baseline: '1 ms', ratio: 2.5, target: { at: '>=' as const, ratio: 2 } };
    expect(verdict(row)).toBe('yes');
    expect(verdict({ ...row, spoiler: '3 failed' })).toBe('no (3 failed)');
    expect(verdict({ ...row, target: { at: '<=', ratio: 1.3 } })).toBe('no');
    expect(verdict({ ...row, target: undefined })).toBe('-');
  });

  it('renders one Markdown line per row under a header', () => {
    const lines = summaryTable([{ operation: 'create', engine: '2.00 ms', baseline: '1.00 ms', ratio: 2, target: { at: '<=', ratio: 1.15 } }]);
    expect(lines).toEqual([
      '| operation | engine | floor / baseline | ratio | target | met |',
      '| --- | --- | --- | --- | --- | --- |',
      '| create | 2.00 ms | 1.00 ms | 2.00x | <= 1.15x | no |',
    ]);
  });
});
