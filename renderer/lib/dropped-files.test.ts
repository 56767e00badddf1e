import { describe, expect, it } from 'vitest';
import { datasetNameFrom, pickedFolderPath, selectionFromFileList, stripSharedFolder, uploadFileUrl, walkEntry, type EntryLike } from './dropped-files';

const blob = (text: string): Blob => new Blob([text]);

function fileEntry(name: string, text = name): EntryLike {
  return { name, isFile: true, isDirectory: false, file: (onFile) => onFile(new File([text], name)) };
}

function folderEntry(name: string, children: EntryLike[], batch = 2): EntryLike {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let offset = 0;
      // Hands out entries a few at a time, like Chromium's 100-entry batches.
      return { readEntries: (onEntries) => onEntries(children.slice(offset, (offset += batch))) };
    },
  };
}

describe('upload paths', () => {
  it('encodes every segment of the relative path and keeps the slashes', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(uploadFileUrl('', '/api/uploads', id, 'train/cat #1/a b.png')).toBe(`/api/uploads/${id}/train/cat%20%231/a%20b.png`);
    expect(uploadFileUrl('http://h', '/api/uploads', id, 'x\\y/../z?.csv')).toBe(`http://h/api/uploads/${id}/x/y/%2E%2E/z%3F.csv`);
    expect(uploadFileUrl('', '/api/uploads', id, './ü.csv')).toBe(`/api/uploads/${id}/%C3%BC.csv`);
  });

  it('uploads one dropped folder as its contents', () => {
    const files = [{ file: blob('a'), path: 'photos/cat/1.png' }, { file: blob('b'), path: 'photos/labels.csv' }];
    expect(stripSharedFolder(files).map((file) => file.path)).toEqual(['cat/1.png', 'labels.csv']);
    const mixed = [{ file: blob('a'), path: 'a.csv' }, { file: blob('b'), path: 'photos/b.csv' }];
    expect(stripSharedFolder(mixed).map((file) => file.path)).toEqual(['a.csv', 'photos/b.csv']);
  });

  it('derives dataset names as main does', () => {
    expect(datasetNameFrom('Sales 2024.csv')).toBe('Sales-2024');
    expect(datasetNameFrom('iris.data.csv')).toBe('iris.data');
    expect(datasetNameFrom('_hidden.csv')).toBe('hidden');
    expect(datasetNameFrom('my.photos', false)).toBe('my.photos');
    expect(datasetNameFrom('###.csv')).toBe('dataset');
  });

  it('finds the folder a folder-picker file sits in', () => {
    expect(pickedFolderPath('/data/photos/cat/1.png', 'photos/cat/1.png')).toBe('/data/photos');
    expect(pickedFolderPath('C:\\data\\photos\\1.png', 'photos/1.png')).toBe('C:\\data\\photos');
    expect(pickedFolderPath('/data/a.csv', 'a.csv')).toBeNull();
  });
});

describe('walking dropped folders', () => {
  it('lists nested files in every batch and skips OS litter', async () => {
    const tree = folderEntry('photos', [fileEntry('labels.csv'), folderEntry('cat', [fileEntry('1.png'), fileEntry('2.png'), fileEntry('3.png')]), fileEntry('.DS_Store')]);
    const files = await walkEntry(tree);
    expect(files.map((file) => file.path).sort()).toEqual(['photos/cat/1.png', 'photos/cat/2.png', 'photos/cat/3.png', 'photos/labels.csv']);
  });

  it('reads a folder picker selection with its relative paths', async () => {
    const pick = (path: string): File => {
      const file = new File(['x'], path.split('/').pop()!);
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      return file;
    };
    const selection = selectionFromFileList([pick('photos/cat/1.png'), pick('photos/labels.csv'), pick('photos/.DS_Store')], (file) => `/home/me/${file.webkitRelativePath}`);
    expect(selection).toMatchObject({ label: 'photos/', defaultName: 'photos', kind: 'folder', path: '/home/me/photos', knownBytes: 2 });
    expect((await selection!.listFiles()).map((file) => file.path)).toEqual(['cat/1.png', 'labels.csv']);
    const browser = selectionFromFileList([new File(['a,b\n1,2\n'], 'Sales 2024.csv')], () => null);
    expect(browser).toMatchObject({ label: 'Sales 2024.csv', defaultName: 'Sales-2024', kind: 'file', path: null, knownBytes: 8 });
  });
});
