import { describe, expect, it } from 'vitest';
import { collectedInstructions } from '../../bench/lib/child.ts';

describe("the bench's instruction counts (--instructions)", () => {
  it("are read from callgrind's summary line, whatever the process wrote around it", () => {
    const stderr = [
      '==4320== Callgrind, a call-graph generating cache profiler',
      'some warning the child printed',
      '==4320== Events    : Ir',
      '==4320== Collected : 649202838',
      '==4320== ',
      '==4320== I   refs:      649,202,838',
    ].join('\n');
    expect(collectedInstructions(stderr)).toBe(649_202_838);
  });

  it('are missing when valgrind printed no summary (the process was killed, or ran without it)', () => {
    expect(collectedInstructions('')).toBeUndefined();
    expect(collectedInstructions('Collected : 12 (a child printing this itself)')).toBeUndefined();
  });
});
