import { open, readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { invalid } from '../../../shared/errors';
import type { Orchestrator } from '../pipelines/orchestrator';
import { PipelineSpecError, parsePipeline } from '../pipelines/spec/index';
import type { Handlers } from './dispatcher';

export interface PipelineHandlerServices {
  readonly pipelines: Orchestrator;
}

const ok = { ok: true } as const;

export function createPipelineHandlers({ pipelines }: PipelineHandlerServices): Pick<Handlers, `pipelines.${string}` & keyof Handlers> {
  return {
    'pipelines.list': () => pipelines.list(),
    'pipelines.get': ({ name }) => ({ ...pipelines.summary(name), spec: pipelines.store.pipeline(name).spec }),
    'pipelines.register': async ({ text, path }) => {
      if (!text === !path) throw invalid('Give the spec as text, or the path of a pipeline.yaml (not both).');
      if (path) {
        if (!isAbsolute(path)) throw invalid(`The pipeline path must be absolute, got '${path}'.`);
        const body = await readFile(path, 'utf8').catch(() => {
          throw invalid(`Cannot read ${path}.`);
        });
        return pipelines.register(body, path);
      }
      return pipelines.register(text!);
    },
    'pipelines.check': ({ text }) => {
      try {
        parsePipeline(text);
        return { ok: true, issues: [] };
      } catch (error) {
        if (!(error instanceof PipelineSpecError)) throw error;
        return { ok: false, issues: error.issues.map(({ line, column, path, message }) => ({ line, column, path, message })) };
      }
    },
    'pipelines.trigger': ({ name, params, force }) => pipelines.trigger(name, { ...(params ? { params } : {}), force }),
    'pipelines.runs': ({ pipeline, limit }) => pipelines.dagRuns({ ...(pipeline ? { pipeline } : {}), limit }),
    'pipelines.run': ({ id }) => pipelines.dagRun(id),
    'pipelines.cancel': ({ id }) => (pipelines.cancel(id), ok),
    'pipelines.cancelTask': ({ id, taskId }) => pipelines.cancelTask(id, taskId),
    'pipelines.clear': ({ id, taskId, downstream }) => pipelines.clear(id, taskId, { downstream }),
    'pipelines.mark': ({ id, taskId, state }) => pipelines.mark(id, taskId, state),
    'pipelines.rerun': ({ id }) => pipelines.rerun(id),
    'pipelines.pause': ({ name, paused }) => (pipelines.pause(name, paused), ok),
    'pipelines.log': async ({ id, taskId, tryNumber, offset, maxBytes }) => {
      const run = pipelines.dagRun(id);
      const task = run.tasks.find((candidate) => candidate.taskId === taskId);
      if (!task) throw invalid(`${id} has no task '${taskId}'.`);
      const attempt = tryNumber ?? task.tryNumber;
      if (attempt < 1) return { text: '', size: 0, offset: 0, tryNumber: 0 };
      const file = pipelines.logPath(id, taskId, attempt);
      const size = (await stat(file).catch(() => null))?.size ?? 0;
      if (offset >= size) return { text: '', size, offset: size, tryNumber: attempt };
      const handle = await open(file, 'r');
      try {
        const length = Math.min(maxBytes, size - offset);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, offset);
        // Cut at the last newline so a following call starts on a whole line (unless one line is longer than the slice).
        const cut = buffer.lastIndexOf(0x0a);
        let end = cut >= 0 && offset + length < size ? cut + 1 : length;
        // A line longer than the slice: stop before a UTF-8 sequence the slice would cut in two.
        if (cut < 0 && offset + length < size) end = wholeUtf8(buffer, length);
        return { text: buffer.subarray(0, end).toString('utf8'), size, offset: offset + end, tryNumber: attempt };
      } finally {
        await handle.close();
      }
    },
  };
}

/** The longest prefix of buf[0, length) that does not end inside a UTF-8 sequence. */
export function wholeUtf8(buf: Uint8Array, length: number): number {
  let i = length - 1;
  while (i >= 0 && length - i <= 3 && (buf[i]! & 0xc0) === 0x80) i -= 1;
  if (i < 0) return length;
  const lead = buf[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length - i < need ? i : length;
}
