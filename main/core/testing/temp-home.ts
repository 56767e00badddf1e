import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { openWorkbench, type Workbench, type WorkbenchOptions } from '../workbench';

/** The bundled workers (built by the test global setup). */
export const testWorkersDir = join(process.cwd(), 'dist', 'workers');

/** A fresh home folder per test, removed afterwards. */
export function tempHome(prefix = 'trainyard-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(os.tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Opens a workbench on a fresh home; dispose it and the folder goes too. */
export async function openTestWorkbench(options: Partial<WorkbenchOptions> = {}): Promise<Workbench & { home: string }> {
  const home = options.home ?? tempHome().path;
  const workbench = await openWorkbench({ shell: 'browser', workersDir: testWorkersDir, gcGraceMs: 0, ...options, home });
  return {
    ...workbench,
    home,
    dispose: async () => {
      await workbench.dispose();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}
