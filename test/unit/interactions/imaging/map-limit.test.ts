import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from '../../../../src/interactions/imaging/map-limit';

describe('mapLimit', () => {
  it('keeps input order and never runs more than `limit` at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([30, 5, 20, 1, 10, 15, 2], 3, async (ms, i) => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(ms);
      running -= 1;
      return `${i}:${ms}`;
    });
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:15', '6:2']);
    expect(peak).toBe(3);
  });

  it('handles no items and a limit larger than the list', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapLimit([1, 2], 10, async (n) => n * 2)).toEqual([2, 4]);
  });
});
