/** The typed layer's rows in `npm run bench`'s summary: each figure over its budget. */
import { describe, expect, it } from 'vitest';
import { codegenRows } from '../../bench/codegen-figures.js';
import { verdict } from '../../bench/summary.js';

describe('codegenRows', () => {
  it('meets a budget at or under it and misses it above, naming figure and budget', () => {
    const rows = codegenRows({ generateCpu: 1200, tsc5Cpu: 5100, tsc5Instantiations: 39_504, declarations5Cpu: 3300, tsc7Cpu: 1300 });
    expect(rows.map((r) => [r.operation.trim().split(',')[0], r.engine, r.baseline, verdict(r)])).toEqual([
      ['chronos generate', '1.20 s CPU', 'budget 1.20 s CPU', 'yes'],
      ['tsc --noEmit of an app using 100 repositories', '5.10 s CPU', 'budget 3.50 s CPU', 'no'],
      ['of which its 100 declaration files alone (no generated code)', '3.30 s CPU', 'budget 3.50 s CPU', '-'],
      ['instantiations of that app', '39504', 'budget 40000', 'yes'],
      ['tsc --noEmit of the same app', '1.30 s CPU', 'budget 1.20 s CPU', 'no'],
    ]);
  });

  it('leaves TypeScript 7 out when it was not measured', () => {
    expect(codegenRows({ generateCpu: 900, tsc5Cpu: 3000, tsc5Instantiations: 1, declarations5Cpu: 1 })).toHaveLength(4);
  });
});
