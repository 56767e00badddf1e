// The sandboxed preload: bundled into ONE CommonJS file (dist/electron/preload.cjs) whose only
// `require` is `electron`, because a sandboxed preload can neither be ESM nor load modules
// (TOOLCHAIN.md). preload.test.ts checks exactly that on the built bundle.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { operationNameList as operationNames } from '../../shared/operation-names';
import { bridgeGlobalName, ipcChannelOf, ipcEventChannel, type DesktopBridge, type RpcResult } from '../../shared/bridge';
import type { WorkbenchEvent } from '../../shared/events';

// One named function per operation — never a generic invoke(channel) or ipcRenderer itself
// (CONVENTIONS.md 4) — so the page can reach the contract and nothing else.
const operations = Object.fromEntries(
  operationNames.map((operation) => {
    const channel = ipcChannelOf(operation);
    const call = (input: unknown): Promise<RpcResult> => ipcRenderer.invoke(channel, input) as Promise<RpcResult>;
    return [operation, call];
  }),
) as DesktopBridge['operations'];

const bridge = {
  operations,
  onEvent(listener: (event: WorkbenchEvent) => void): () => void {
    // The IpcRendererEvent is dropped: its `sender` is ipcRenderer, which must never reach the page.
    const forward = (_event: IpcRendererEvent, event: WorkbenchEvent): void => listener(event);
    ipcRenderer.on(ipcEventChannel, forward);
    return () => {
      ipcRenderer.removeListener(ipcEventChannel, forward);
    };
  },
  // Only a path string crosses back to the page; main validates it before importing.
  pathForFile: (file: object): string => webUtils.getPathForFile(file as File),
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
