/**
 * Runs `task` at most once per `intervalMs`; calls in between collapse into one trailing run, so
 * a burst of events costs one request at the start and one at the end, never one each.
 */
export function throttle(task: () => void, intervalMs: number): { (): void; cancel(): void } {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = (): void => {
    timer = null;
    last = Date.now();
    task();
  };
  const throttled = (): void => {
    if (timer) return;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  throttled.cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return throttled;
}

/** Schedules work for the next frame where there are frames; a short timer elsewhere (tests). */
export function nextFrame(task: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => task());
  else setTimeout(task, 16);
}
