import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { operationNames } from '../../shared/api';
import { ipcChannelOf, ipcEventChannel, type RpcResult } from '../../shared/bridge';
import type { WorkbenchEvent } from '../../shared/events';
import { Emitter } from '../core/events/emitter';
import { openWorkbench, type Workbench } from '../core/workbench';
import { registerIpcTransport, type FrameLike, type IpcInvokeEventLike, type IpcMainLike } from './ipc';

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** Records handlers the way Electron's ipcMain does: one per channel, a second one throws. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: IpcInvokeEventLike, input: unknown): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return listener(event, input);
  }
}

const appWindowId = 7;
const mainFrame = (url = 'app://trainyard/'): FrameLike => ({ url, parent: null });
const fromApp: IpcInvokeEventLike = { sender: { id: appWindowId }, senderFrame: mainFrame() };

describe('IPC transport', () => {
  let home: string;
  let workbench: Workbench;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'trainyard-ipc-'));
    workbench = await openWorkbench({ shell: 'desktop', home, workersDir: join(home, 'no-workers') });
  });
  afterAll(async () => {
    await workbench.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  const setup = (dispatch = workbench.dispatch) => {
    const ipcMain = new FakeIpcMain();
    const emitter = new Emitter<WorkbenchEvent>();
    const sent: Array<{ channel: string; event: WorkbenchEvent }> = [];
    const rejected: string[] = [];
    const transport = registerIpcTransport(ipcMain, {
      dispatch,
      onDidEmit: emitter.event,
      isKnownSender: (id) => id === appWindowId,
      eventTargets: () => [
        { isDestroyed: () => false, send: (channel, event) => sent.push({ channel, event }) },
        { isDestroyed: () => true, send: () => expect.unreachable('a destroyed window got an event') },
      ],
      onRejected: (_channel, reason) => rejected.push(reason),
    });
    return { ipcMain, emitter, sent, rejected, transport };
  };

  it('registers exactly one channel per operation of the contract, no more, no fewer', () => {
    const { ipcMain } = setup();
    const expected = operationNames.map(ipcChannelOf);
    expect(new Set(expected).size).toBe(operationNames.length);
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...expected].sort());
  });

  it('passes a real dispatch result through, including normalized errors', async () => {
    const { ipcMain } = setup();
    const created = (await ipcMain.invoke(ipcChannelOf('experiments.create'), fromApp, { name: 'over-ipc' })) as RpcResult<{ id: string; name: string }>;
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.result.name).toBe('over-ipc');

    const viaIpc = await ipcMain.invoke(ipcChannelOf('experiments.get'), fromApp, { id: created.result.id });
    expect(viaIpc).toEqual(await workbench.dispatch('experiments.get', { id: created.result.id }));

    const invalid = (await ipcMain.invoke(ipcChannelOf('experiments.create'), fromApp, { name: '' })) as RpcResult;
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const missing = (await ipcMain.invoke(ipcChannelOf('runs.get'), fromApp, { id: 'no-such-run' })) as RpcResult;
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it.each([
    ['a foreign origin', { sender: { id: appWindowId }, senderFrame: mainFrame('https://evil.example/') }],
    ['a look-alike host', { sender: { id: appWindowId }, senderFrame: mainFrame('app://trainyard.evil/') }],
    ['a file page', { sender: { id: appWindowId }, senderFrame: mainFrame('file:///tmp/index.html') }],
    ['a subframe of the app', { sender: { id: appWindowId }, senderFrame: { url: 'app://trainyard/', parent: mainFrame() } }],
    ['a frame that is gone', { sender: { id: appWindowId }, senderFrame: null }],
    ['a web contents the app did not create', { sender: { id: 99 }, senderFrame: mainFrame() }],
  ] satisfies Array<[string, IpcInvokeEventLike]>)('refuses %s without dispatching', async (_name, event) => {
    const dispatch = vi.fn(workbench.dispatch);
    const { ipcMain, rejected } = setup(dispatch);
    await expect(ipcMain.invoke(ipcChannelOf('experiments.list'), event, {})).rejects.toThrow('Refused');
    expect(dispatch).not.toHaveBeenCalled();
    expect(rejected).toHaveLength(1);
  });

  it('forwards push events to every live window and stops on dispose', () => {
    const { ipcMain, emitter, sent, transport } = setup();
    const event: WorkbenchEvent = { name: 'params.logged', payload: { runId: 'r1' } };
    emitter.fire(event);
    expect(sent).toEqual([{ channel: ipcEventChannel, event }]);

    transport.dispose();
    emitter.fire(event);
    expect(sent).toHaveLength(1);
    expect(ipcMain.handlers.size).toBe(0);
  });
});
