import type { ServedModelInfo } from '../../../shared/serving';
import { useServingStore } from '../../stores/serving';
import { reportError, useToastsStore } from '../../stores/toasts';

/**
 * Serve… from anywhere on a model's page: starts a server for the URI (a version, or
 * `models:/name@alias`), says where it listens in a toast, or why it could not start. The server's
 * list (status bar, Serving tab) follows from serving.changed.
 */
export async function serveModel(uri: string, label: string): Promise<ServedModelInfo | null> {
  try {
    const server = await useServingStore.getState().start(uri);
    useToastsStore.getState().push({ tone: 'info', title: `Serving ${label}`, message: `POST ${server.url}/invocations — try it in the model's Serving tab.` });
    return server;
  } catch (error) {
    reportError(`Serving ${label} failed`, error);
    return null;
  }
}
