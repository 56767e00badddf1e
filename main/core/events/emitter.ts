/** Something that holds a resource or a subscription until disposed. */
export interface Disposable {
  dispose(): void;
}

/** Subscribe with a listener; dispose the result to unsubscribe (VS Code's `Event<T>`). */
export type Event<T> = (listener: (event: T) => void) => Disposable;

/**
 * A typed event source. A listener that throws is reported and skipped, so one broken view can
 * never stop the others (or the service that fired) from hearing an event.
 */
export class Emitter<T> {
  private readonly listeners = new Set<(event: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('[trainyard] an event listener failed:', error);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
