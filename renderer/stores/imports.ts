import { create } from 'zustand';
import type { OperationInput } from '../../shared/api';
import type { DatasetVersion } from '../../shared/datasets';
import { ApiError, describeError } from '../api/api-error';
import { getConnection } from '../api/connection';
import { selectionFromFileList, type ImportSelection } from '../lib/dropped-files';
import { importAccept, openFilePicker } from '../lib/file-picker';
import { datasetHref, datasetsHref, runHref } from '../lib/hash-route';
import { navigate } from '../lib/use-route';
import { useDatasetsStore } from './datasets';
import { useJobsStore } from './jobs';
import { reportError } from './toasts';

export interface ImportChoices {
  readonly name: string;
  readonly skipBadRows: boolean;
  readonly writeDvcFile: boolean;
}

interface ImportsState {
  /** What was dropped or picked, waiting in the import dialog for a name. */
  readonly pending: ImportSelection | null;
  offer(selection: ImportSelection): void;
  dismiss(): void;
  /** Uploads (browser mode) or hands over the path (desktop), then imports; progress goes to the status bar. */
  start(selection: ImportSelection, choices: ImportChoices): Promise<DatasetVersion | null>;
}

type ImportSource = OperationInput<'datasets.import'>['source'];

export const useImportsStore = create<ImportsState>()((set) => ({
  pending: null,
  offer(selection) {
    // A model needs no dialog: it is checked and kept as a run, then shown.
    if (isOnnxModel(selection)) void importModel(selection);
    else set({ pending: selection });
  },
  dismiss() {
    set({ pending: null });
  },
  async start(selection, choices) {
    set({ pending: null });
    const startedAt = window.location.hash;
    const title = `Importing ${choices.name}`;
    let source: ImportSource;
    try {
      source = await sourceOf(selection, choices.name);
    } catch (error) {
      // Upload failures and cancels were reported by the upload's job already.
      if (!(error instanceof UploadFailed)) reportError(`${title} failed`, error);
      return null;
    }
    try {
      const version = await getConnection().api['datasets.import']({
        source,
        name: choices.name,
        ...(choices.skipBadRows ? { csv: { skipBadRows: true } } : {}),
        writeDvcFile: choices.writeDvcFile && source.kind === 'path',
      });
      void useDatasetsStore.getState().load();
      // Take the user to what they dropped, unless they went elsewhere while it ran.
      const here = window.location.hash;
      if (here === startedAt || here === datasetsHref || here === '' || here === '#/') navigate(datasetHref(version.dataset, version.version));
      return version;
    } catch (error) {
      // A cancel was the user's own doing: the job's "cancelled" note says enough.
      if (error instanceof ApiError && error.code === 'CONFLICT' && /cancel/i.test(error.message)) return null;
      // Same title and message as the job's failure toast, which the toasts store merges.
      reportError(`${title} failed`, error);
      return null;
    }
  },
}));

class UploadFailed extends Error {}

export const isOnnxModel = (selection: ImportSelection): boolean => selection.kind === 'file' && /\.onnx$/i.test(selection.label);

/** Bring-your-own ONNX: uploads or hands over the file, imports it as a run, and opens that run. */
export async function importModel(selection: ImportSelection): Promise<string | null> {
  const name = selection.label.replace(/\.onnx$/i, '');
  const title = `Importing the model ${selection.label}`;
  try {
    const source = await sourceOf(selection, name);
    const { runId } = await getConnection().api['models.importOnnx']({ source, name });
    navigate(runHref(runId, 'artifacts'));
    return runId;
  } catch (error) {
    if (!(error instanceof UploadFailed)) reportError(`${title} failed`, error);
    return null;
  }
}

async function sourceOf(selection: ImportSelection, name: string): Promise<ImportSource> {
  if (selection.path !== null) return { kind: 'path', path: selection.path };
  const connection = getConnection();
  if (!connection.upload) {
    throw new Error(
      selection.kind === 'several'
        ? 'The desktop app imports one file or one folder at a time: drop them one by one, or put them in a folder and drop that.'
        : `The desktop app could not find where '${selection.label}' is on disk. Drop it from a file manager, or run \`trainyard data add <path>\`.`,
    );
  }
  const job = useJobsStore.getState().startLocal({ kind: 'upload', label: `Uploading ${name}`, unit: 'bytes', total: selection.knownBytes, phase: 'reading' });
  try {
    const files = await selection.listFiles();
    const uploadId = await connection.upload(files, {
      signal: job.signal,
      onProgress: (progress) => job.progress(progress.bytesDone, progress.bytesTotal, 'uploading'),
    });
    job.finish();
    return { kind: 'upload', uploadId };
  } catch (error) {
    job.fail(error);
    throw new UploadFailed(describeError(error));
  }
}

/** The Import button and the palette's "Import a dataset…": pick, then the same dialog as a drop. */
export function pickFilesToImport(directory = false): void {
  openFilePicker({ directory, accept: importAccept }, (files) => {
    const connection = getConnection();
    const selection = selectionFromFileList(files, (file) => connection.pathForFile(file));
    if (selection) useImportsStore.getState().offer(selection);
  });
}
