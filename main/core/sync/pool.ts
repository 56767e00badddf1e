/**
 * Runs `work` over `items` with at most `concurrency` at a time, in order of the items. Every
 * item is attempted even when others fail (a failed upload must not stop the rest); the first
 * failure is rethrown at the end unless `work` handles its own errors. An abort stops handing out
 * new items.
 */
export async function forEachConcurrent<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let firstError: { error: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  signal?.throwIfAborted();
  if (firstError) throw (firstError as { error: unknown }).error;
}
