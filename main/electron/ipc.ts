import { operationNameList as operationNames } from '../../shared/operation-names';
import { ipcChannelOf, ipcEventChannel, type RpcResult } from '../../shared/bridge';
import type { WorkbenchEvent } from '../../shared/events';
import { isAppUrl } from './app-origin';

/**
 * The slice of Electron's `ipcMain` this transport uses (Bruno's `IpcMainLike`), so it runs and
 * is tested in plain Node. Electron's own `ipcMain`, `IpcMainInvokeEvent` and `WebFrameMain`
 * satisfy these shapes structurally.
 */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface FrameLike {
  readonly url: string;
  /** Null for a top-level frame. */
  readonly parent: FrameLike | null;
}

export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  /** Null when the frame navigated away or was destroyed before the message was handled. */
  readonly senderFrame: FrameLike | null;
}

/** A window's web contents, as far as pushing events to it goes. */
export interface EventTargetLike {
  isDestroyed(): boolean;
  send(channel: string, event: WorkbenchEvent): void;
}

export interface IpcTransportOptions {
  readonly dispatch: (operation: string, input: unknown) => Promise<RpcResult>;
  readonly onDidEmit: (listener: (event: WorkbenchEvent) => void) => { dispose(): void };
  /** True for the web contents of windows this app created. */
  readonly isKnownSender: (webContentsId: number) => boolean;
  /** Every window that should hear push events. */
  readonly eventTargets: () => Iterable<EventTargetLike>;
  /** Told about every refused call (the default logs it). */
  readonly onRejected?: (channel: string, reason: string) => void;
}

/** Why a sender may not call an operation, or null when it may (VS Code's `validateEvent`). */
export function senderRejection(event: IpcInvokeEventLike, isKnownSender: (id: number) => boolean): string | null {
  if (!isKnownSender(event.sender.id)) return `web contents ${event.sender.id} is not a Trainyard window`;
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'only the main frame may call operations';
  if (!isAppUrl(frame.url)) return `origin of ${describeUrl(frame.url)} is not the app`;
  return null;
}

/**
 * Registers every operation of the contract — exactly `operationNames` — through one wrapper:
 * sender checked first, then `dispatch` (which parses the input with the operation's schema and
 * normalizes errors to `{code, message}`). Push events go to every window on one channel.
 * Dispose on quit to remove the handlers and the subscription.
 */
export function registerIpcTransport(ipcMain: IpcMainLike, options: IpcTransportOptions): { dispose(): void } {
  const onRejected = options.onRejected ?? ((channel, reason) => console.warn(`[trainyard] refused IPC on ${channel}: ${reason}`));
  const channels = operationNames.map((operation) => {
    const channel = ipcChannelOf(operation);
    ipcMain.handle(channel, async (event, input) => {
      const reason = senderRejection(event, options.isKnownSender);
      if (reason !== null) {
        onRejected(channel, reason);
        // A rejection (not an RpcResult) so a foreign page learns nothing about the contract.
        throw new Error('Refused');
      }
      return options.dispatch(operation, input);
    });
    return channel;
  });

  const subscription = options.onDidEmit((event) => {
    for (const target of options.eventTargets()) {
      if (target.isDestroyed()) continue;
      try {
        target.send(ipcEventChannel, event);
      } catch (error) {
        // A window closing mid-send must not stop the others from hearing the event.
        console.warn('[trainyard] could not push an event to a window:', error);
      }
    }
  });

  return {
    dispose: () => {
      subscription.dispose();
      for (const channel of channels) ipcMain.removeHandler(channel);
    },
  };
}

/** Origin only: a full URL may carry ids or tokens that do not belong in a log. */
function describeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'an unparsable URL';
  }
}
