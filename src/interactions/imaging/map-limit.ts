/**
 * `fn` over `items` with at most `limit` calls in flight; results in input order. Used to fetch a search's
 * manifests in parallel without opening one ITI-39 per manifest at once against a national gateway.
 * `fn` should not reject (settle errors into its result): a rejection stops handing out further items.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
