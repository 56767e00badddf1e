import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../shared/datasets';
import { Duck } from '../duckdb';
import { ingest } from './ingest';
import { FixtureDir, jpegBytes, pngBytes } from './test-fixtures';

const dir = new FixtureDir();
let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => {
  duck.close();
  dir.remove();
});

/** Image objects named by content, as the store holds them; relpaths as the dropped folder had them. */
const images = [
  { relpath: 'cats/1.png', file: dir.write('obj1', pngBytes(4, 3)) },
  { relpath: 'cats/2.jpg', file: dir.write('obj2', jpegBytes(10, 6)) },
  { relpath: 'dogs/3.png', file: dir.write('obj3', pngBytes(8, 9)) },
];
const source = (labels: string, list = images): DataSource => ({ format: 'images', files: [dir.write(`labels-${labels.length}-${list.length}`, labels)], images: list });

describe('image folders with a labels file', () => {
  it('profiles image sizes, formats and classes, and the labels file as the table', async () => {
    const report = await ingest(duck, source('filename,label\ncats/1.png,cat\n./cats/2.jpg,cat\ndogs/3.png,dog\n'));
    expect(report.profile.rowCount).toBe(3);
    expect(report.schema.map((column) => column.name)).toEqual(['filename', 'label']);
    expect(report.profile.images).toEqual({
      imageCount: 3,
      width: { min: 4, max: 10, mean: 22 / 3 },
      height: { min: 3, max: 9, mean: 6 },
      formats: [
        { value: 'png', count: 2 },
        { value: 'jpeg', count: 1 },
      ],
      classCounts: [
        { label: 'cat', count: 2 },
        { label: 'dog', count: 1 },
      ],
    });
  });

  it('accepts the other column names', async () => {
    const report = await ingest(duck, source('Image;Class\ncats/1.png;0\ncats/2.jpg;0\ndogs/3.png;1\n'));
    expect(report.profile.images?.classCounts).toEqual([
      { label: '0', count: 2 },
      { label: '1', count: 1 },
    ]);
  });

  it('refuses labels naming missing images, and images without a label, listing them', async () => {
    await expect(ingest(duck, source('path,target\ncats/1.png,cat\ncats/2.jpg,cat\ndogs/3.png,dog\ndogs/4.png,dog\nbirds/5.png,bird\n'))).rejects.toThrow(
      /names 2 images that are not in the folder: birds\/5\.png, dogs\/4\.png/,
    );
    await expect(ingest(duck, source('file,label\ncats/1.png,cat\n'))).rejects.toThrow(/2 images have no label in .*: cats\/2\.jpg, dogs\/3\.png/);
    await expect(ingest(duck, source('file,label\ncats/1.png,cat\ncats/2.jpg,\ndogs/3.png,dog\n'))).rejects.toThrow(/1 image has no label in .*: cats\/2\.jpg/);
    await expect(ingest(duck, source('file,label\ncats/1.png,cat\ncats/1.png,dog\ncats/2.jpg,cat\ndogs/3.png,dog\n'))).rejects.toThrow(/lists 1 image more than once: cats\/1\.png/);
  });

  it('refuses a labels file without the expected columns, and files that are not images', async () => {
    await expect(ingest(duck, source('name,kind\ncats/1.png,cat\n'))).rejects.toThrow(/needs a column with each image's path \(filename, file, path, image\).*it has "name", "kind"/);
    const notImage = [...images, { relpath: 'notes.txt', file: dir.write('obj4', 'hello') }];
    await expect(ingest(duck, source('file,label\ncats/1.png,cat\ncats/2.jpg,cat\ndogs/3.png,dog\nnotes.txt,x\n', notImage))).rejects.toThrow(
      /1 file is not a PNG, JPEG, GIF, BMP or WebP image: notes\.txt/,
    );
  });
});
