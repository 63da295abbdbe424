import { setImmediate as nextTurn } from 'node:timers/promises';
import { mapInOrder } from '../../../tasks/common/concurrency';

const items = Array.from({ length: 10 }, (_, index) => index);

describe('mapInOrder', () => {
  it('never runs more than the limit at once, and uses the whole limit', async () => {
    let running = 0;
    let peak = 0;

    await mapInOrder(items, 3, async (item) => {
      running++;
      peak = Math.max(peak, running);
      await nextTurn();
      running--;
      return item;
    });

    expect(peak).toBe(3);
  });

  it('returns the results in item order when later items finish first', async () => {
    const results = await mapInOrder(items, 4, async (item) => {
      for (let turn = 0; turn < 10 - item; turn++) await nextTurn();
      return item * 10;
    });

    expect(results).toEqual(items.map((item) => item * 10));
  });

  it('returns an ordered prefix of the results once shouldStart turns false', async () => {
    let asked = 0;
    const started: number[] = [];

    const results = await mapInOrder(
      items,
      3,
      async (item) => {
        started.push(item);
        await nextTurn();
        return `done ${item}`;
      },
      () => ++asked <= 5,
    );

    expect(results).toEqual(['done 0', 'done 1', 'done 2', 'done 3', 'done 4']);
    expect(started.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts nothing when shouldStart says no from the outset', async () => {
    const work = jest.fn(async (item: number) => item);

    const results = await mapInOrder(items, 2, work, () => false);

    expect(results).toEqual([]);
    expect(work).not.toHaveBeenCalled();
  });

  it('returns an empty list for no items', async () => {
    const results = await mapInOrder([], 5, async (item: number) => item);

    expect(results).toEqual([]);
  });
});
