import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((message) => message.ruleId === 'local/layering').map((message) => message.message);
}

describe('the import table is enforced by lint', () => {
  it.each([
    ['renderer/views/x.tsx', "import { readFileSync } from 'node:fs';"],
    ['renderer/views/x.tsx', "import { ipcRenderer } from 'electron';"],
    ['renderer/views/x.tsx', "import { openWorkbench } from '../../main/core/workbench';"],
    ['shared/x.ts', "import React from 'react';"],
    ['shared/x.ts', "import { x } from '../main/core/workbench';"],
    ['main/core/x.ts', "import { app } from 'electron';"],
    ['main/core/tracking/x.ts', "import Database from 'better-sqlite3';"],
    ['main/core/x.ts', "import * as ort from 'onnxruntime-node';"],
    ['workers/x/y.ts', "import Database from 'better-sqlite3';"],
    ['workers/x/y.ts', "import { x } from '../../main/core/workbench';"],
    ['main/core/sync/remote.ts', "import { startRgw } from './testing/rgw-server';"],
    ['main/core/sync/remote.ts', "import { startFauxqs } from 'fauxqs';"],
  ])('%s: %s is a lint error', async (file, code) => {
    expect(await layeringErrors(file, `${code}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ['renderer/views/x.tsx', "import { workbenchApi } from '../../shared/api';"],
    ['main/core/db/database.ts', "import Database from 'better-sqlite3';"],
    ['main/electron/x.ts', "import { app } from 'electron';"],
    ['workers/x/y.ts', "import * as ort from 'onnxruntime-node';"],
    ['shared/x.ts', "import { z } from 'zod';"],
    ['main/core/x.test.ts', "import * as ort from 'onnxruntime-node';"],
    ['main/core/sync/push.test.ts', "import { startRgw } from './testing/rgw-server';"],
    ['main/core/sync/testing/fauxqs-server.ts', "import { startFauxqs } from 'fauxqs';"],
    ['bench/sync.ts', "import { startRgw } from '../main/core/sync/testing/rgw-server';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await layeringErrors(file, `${code}\nexport {};\n`)).toEqual([]);
  });
});
