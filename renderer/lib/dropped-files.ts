/**
 * What a drop (or a file picker) hands the import: captured at once, because a DataTransfer is
 * emptied when its event handler returns, and listed later (a dropped folder is walked only in
 * browser mode, where its files are uploaded; the desktop passes one path and reads nothing).
 */

/** One file with its path relative to what was dropped (`iris.csv`, `train/cat/001.png`). */
export interface SelectedFile {
  readonly file: Blob;
  readonly path: string;
}

export interface ImportSelection {
  /** How the dialog names it: `iris.csv`, `photos/`, `3 items`. */
  readonly label: string;
  /** The dataset name the dialog proposes (the file name without its extension). */
  readonly defaultName: string;
  readonly kind: 'file' | 'folder' | 'several';
  /** Desktop: the one file or folder main reads in place; null where the shell sees no paths. */
  readonly path: string | null;
  /** Total bytes when known without walking folders. */
  readonly knownBytes: number | null;
  /** Every file (folders walked), paths relative to the dropped folder itself. */
  listFiles(): Promise<SelectedFile[]>;
}

/** OS litter never versioned (the same names main skips when it reads a folder). */
const ignoredNames = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', '.git', '.dvc', '.trainyard']);

export const isIgnoredPath = (path: string): boolean => path.split('/').some((segment) => ignoredNames.has(segment));

/**
 * A dataset name from a file or folder name, as main derives one (`Sales 2024.csv` → `Sales-2024`):
 * letters, digits, `.`, `_` and `-`, starting with a letter or digit.
 */
export function datasetNameFrom(fileName: string, isFile = true): string {
  const base = isFile ? fileName.replace(/\.[^./]*$/, '') : fileName;
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/-+$/, '');
  return cleaned.slice(0, 128) || 'dataset';
}

/** Dataset names main accepts. */
export const datasetNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * One dropped folder uploads as its contents, not as a folder inside the upload, so its `.dir`
 * manifest (and so its version id) is the same as when the desktop imports the folder's path.
 */
export function stripSharedFolder(files: readonly SelectedFile[]): SelectedFile[] {
  const tops = new Set(files.map((file) => (file.path.includes('/') ? file.path.split('/')[0] : null)));
  const [top] = tops;
  if (tops.size !== 1 || top === null || top === undefined) return [...files];
  return files.map((file) => ({ file: file.file, path: file.path.slice(top.length + 1) }));
}

/**
 * `PUT` address of one file of an upload: each path segment percent-encoded, slashes kept. A `..`
 * segment is encoded too, so the URL parser does not resolve it away: the server must see it to
 * refuse it.
 */
export function uploadFileUrl(baseUrl: string, uploadsPath: string, uploadId: string, relativePath: string): string {
  const segments = relativePath.replace(/\\/g, '/').split('/').filter((segment) => segment !== '' && segment !== '.');
  const encode = (segment: string): string => (segment === '..' ? '%2E%2E' : encodeURIComponent(segment));
  return `${baseUrl}${uploadsPath}/${encodeURIComponent(uploadId)}/${segments.map(encode).join('/')}`;
}

/**
 * The folder a folder-picker file sits in, from the file's own path and its `webkitRelativePath`:
 * `/data/photos/cat/1.png` + `photos/cat/1.png` → `/data/photos` (either separator).
 */
export function pickedFolderPath(filePath: string, relativePath: string): string | null {
  const depth = relativePath.split('/').length - 1;
  if (depth < 1) return null;
  let end = filePath.length;
  for (let level = 0; level < depth; level += 1) {
    end = Math.max(filePath.lastIndexOf('/', end - 1), filePath.lastIndexOf('\\', end - 1));
    if (end <= 0) return null;
  }
  return filePath.slice(0, end);
}

/** The parts of the File and Directory Entries API the walk uses (fakeable in tests). */
export interface EntryLike {
  readonly name: string;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  file?(onFile: (file: File) => void, onError?: (error: unknown) => void): void;
  createReader?(): { readEntries(onEntries: (entries: EntryLike[]) => void, onError?: (error: unknown) => void): void };
}

/** Every file below an entry; `readEntries` returns at most 100 at a time, so it is called until empty. */
export async function walkEntry(entry: EntryLike, prefix = ''): Promise<SelectedFile[]> {
  const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
  if (ignoredNames.has(entry.name)) return [];
  if (entry.isFile && entry.file) {
    const read = entry.file.bind(entry);
    const file = await new Promise<File>((resolve, reject) => read(resolve, reject));
    return [{ file, path }];
  }
  if (!entry.isDirectory || !entry.createReader) return [];
  const reader = entry.createReader();
  const children: EntryLike[] = [];
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => walkEntry(child, path)));
  return nested.flat();
}

type PathForFile = (file: File) => string | null;

interface Root {
  readonly file: File | null;
  readonly entry: EntryLike | null;
}

/** Captures a drop's files and folder entries synchronously, inside the drop handler. */
export function selectionFromDataTransfer(dataTransfer: DataTransfer, pathForFile: PathForFile): ImportSelection | null {
  const files = [...dataTransfer.files];
  const items = [...dataTransfer.items].filter((item) => item.kind === 'file');
  // Entries are only there for real drags of files from the OS; a File alone is enough otherwise.
  const roots: Root[] = (items.length > 0 ? items : files).map((_, index) => {
    const item = items[index];
    const entry = item && typeof item.webkitGetAsEntry === 'function' ? (item.webkitGetAsEntry() as EntryLike | null) : null;
    return { file: files[index] ?? item?.getAsFile() ?? null, entry };
  });
  return selectionOf(roots, pathForFile);
}

/** A file picker's (or folder picker's) files; a folder picker's carry `webkitRelativePath`. */
export function selectionFromFileList(fileList: ArrayLike<File>, pathForFile: PathForFile): ImportSelection | null {
  const files = Array.from(fileList);
  const first = files[0];
  if (!first) return null;
  const relative = (file: File): string => file.webkitRelativePath || file.name;
  const folder = first.webkitRelativePath ? first.webkitRelativePath.split('/')[0] ?? null : null;
  if (folder === null) return selectionOf(files.map((file) => ({ file, entry: null })), pathForFile);
  const firstPath = pathForFile(first);
  const listed = files.map((file) => ({ file: file as Blob, path: relative(file) })).filter((file) => !isIgnoredPath(file.path));
  return {
    label: `${folder}/`,
    defaultName: datasetNameFrom(folder, false),
    kind: 'folder',
    path: firstPath === null ? null : pickedFolderPath(firstPath, first.webkitRelativePath),
    knownBytes: listed.reduce((sum, file) => sum + file.file.size, 0),
    listFiles: async () => stripSharedFolder(listed),
  };
}

function selectionOf(roots: readonly Root[], pathForFile: PathForFile): ImportSelection | null {
  const usable = roots.filter((root) => root.file !== null || root.entry !== null);
  const first = usable[0];
  if (!first) return null;
  const nameOf = (root: Root): string => root.entry?.name ?? root.file?.name ?? 'dropped';
  const isFolder = (root: Root): boolean => root.entry?.isDirectory === true;
  const several = usable.length > 1;
  const folder = !several && isFolder(first);
  const list = async (): Promise<SelectedFile[]> => {
    const nested = await Promise.all(
      usable.map((root) => (root.entry && (root.entry.isDirectory || !root.file) ? walkEntry(root.entry) : Promise.resolve(root.file ? [{ file: root.file as Blob, path: root.file.name }] : []))),
    );
    const files = nested.flat().filter((file) => !isIgnoredPath(file.path));
    return folder ? stripSharedFolder(files) : files;
  };
  return {
    label: several ? `${usable.length} items` : folder ? `${nameOf(first)}/` : nameOf(first),
    defaultName: several ? datasetNameFrom(nameOf(first), !isFolder(first)) : datasetNameFrom(nameOf(first), !folder),
    kind: several ? 'several' : folder ? 'folder' : 'file',
    path: !several && first.file ? pathForFile(first.file) : null,
    knownBytes: usable.some(isFolder) ? null : usable.reduce((sum, root) => sum + (root.file?.size ?? 0), 0),
    listFiles: list,
  };
}
