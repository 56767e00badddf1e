import { create } from 'zustand';
import { ApiError, describeError } from '../api/api-error';

export interface Toast {
  readonly id: number;
  readonly tone: 'error' | 'info';
  /** What was being done: "Loading runs", "Creating experiment 'x'". */
  readonly title: string;
  readonly message: string;
}

interface ToastsState {
  readonly toasts: readonly Toast[];
  push(toast: Omit<Toast, 'id'>): void;
  dismiss(id: number): void;
}

let nextId = 1;
const lifetimeMs = { info: 4000, error: 9000 } as const;
const maxToasts = 4;

/** Transient messages; every failed call that has no inline place to show lands here. */
export const useToastsStore = create<ToastsState>()((set, get) => ({
  toasts: [],
  push(toast) {
    // The same failure repeating (a dead server, polled) shows once, not as a stack.
    if (get().toasts.some((existing) => existing.title === toast.title && existing.message === toast.message)) return;
    const id = nextId++;
    set((state) => ({ toasts: [...state.toasts, { ...toast, id }].slice(-maxToasts) }));
    setTimeout(() => get().dismiss(id), lifetimeMs[toast.tone]);
  },
  dismiss(id) {
    set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  },
}));

/** Reports a failed action: what was being done plus the server's (or network's) reason. */
export function reportError(title: string, error: unknown): void {
  // INTERNAL means the server broke, not the user: say so, so nobody retries the same input.
  const hint = error instanceof ApiError && error.code === 'INTERNAL' ? ' — an internal error; the server log has details' : '';
  useToastsStore.getState().push({ tone: 'error', title, message: `${describeError(error)}${hint}` });
}

