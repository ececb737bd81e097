/**
 * Type tests of the deprecated public names, checked by `tsc --noEmit`: each old name still
 * exported from the package entry is the same type as its replacement, so code written against
 * the chronos-db names keeps compiling.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ChronosConfig, CrossTenantResult, CrossTenantResultQuery, CrossTenantRuleInput, MemberResult, SlaveResult } from '../../runtime/index.js';

describe('deprecated names of the public API', () => {
  it('SlaveResult is MemberResult', () => {
    expectTypeOf<SlaveResult>().toEqualTypeOf<MemberResult>();
  });

  it('a cross-tenant result still has masterTenantId and slaveResults to read', () => {
    expectTypeOf<CrossTenantResult['masterTenantId']>().toEqualTypeOf<CrossTenantResult['primaryTenantId']>();
    expectTypeOf<CrossTenantResult['slaveResults']>().toEqualTypeOf<CrossTenantResult['memberResults']>();
  });

  it('rules and result queries accept both spellings', () => {
    expectTypeOf({ name: 'r', collection: 'orders', mode: 'boolean' as const, masterTenantId: 'm', slaveTenantIds: ['s'] }).toExtend<CrossTenantRuleInput>();
    expectTypeOf({ name: 'r', collection: 'orders', mode: 'boolean' as const, primaryTenantId: 'm', memberTenantIds: ['s'] }).toExtend<CrossTenantRuleInput>();
    expectTypeOf({ name: 'r', collection: 'orders', mode: 'boolean' as const, masterTenantId: 'm', memberTenantIds: ['s'] }).toExtend<CrossTenantRuleInput>();
    expectTypeOf({ name: 'r', collection: 'orders', mode: 'boolean' as const, memberTenantIds: ['s'] }).not.toExtend<CrossTenantRuleInput>();
    expectTypeOf({ masterTenantId: 'm' }).toExtend<CrossTenantResultQuery>();
    expectTypeOf({ primaryTenantId: 'm' }).toExtend<CrossTenantResultQuery>();
  });

  it('writeOptimization accepts batchSize beside the two sizes', () => {
    expectTypeOf({ batchSize: 1000, createManyBatchSize: 10, counterBatchSize: 20 }).toExtend<NonNullable<ChronosConfig['writeOptimization']>>();
  });
});
