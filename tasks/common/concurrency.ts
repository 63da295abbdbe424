/**
 * Run `work` over `items` in order with at most `limit` at once; `shouldStart` is asked
 * before each item, and once it says no nothing more starts. Returns the results of the
 * started items, which are always a prefix of `items`.
 */
export async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  shouldStart: () => boolean = () => true,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length) {
      if (!shouldStart()) {
        stopped = true;
        return;
      }
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results.slice(0, next);
}
