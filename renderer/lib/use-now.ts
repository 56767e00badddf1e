import { useSyncExternalStore } from 'react';

// One shared one-second clock for every live duration, not one timer per table cell.
const subscribers = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

const subscribe = (onTick: () => void): (() => void) => {
  subscribers.add(onTick);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const subscriber of subscribers) subscriber();
  }, 1000);
  return () => {
    subscribers.delete(onTick);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
};

/** The current time, updated every second while `live`; frozen (no timer) otherwise. */
export function useNow(live: boolean): number {
  return useSyncExternalStore(live ? subscribe : noopSubscribe, () => (live ? now : 0));
}

const noopSubscribe = (): (() => void) => () => undefined;
