import { afterAll, describe, expect, it } from 'vitest';
import { imageSizeFromHead, readImageSize } from './image-size';
import { FixtureDir, jpegBytes, pngBytes } from './test-fixtures';

describe('image sizes from header bytes', () => {
  const dir = new FixtureDir();
  afterAll(() => dir.remove());

  it('reads PNG and JPEG (baseline and progressive, frame header past a long EXIF block)', async () => {
    expect(await readImageSize(dir.write('png', pngBytes(7, 5)))).toEqual({ format: 'png', width: 7, height: 5 });
    expect(await readImageSize(dir.write('jpg', jpegBytes(640, 480)))).toEqual({ format: 'jpeg', width: 640, height: 480 });
    expect(await readImageSize(dir.write('jpg2', jpegBytes(33, 17, { progressive: true, exifBytes: 40_000 })))).toEqual({ format: 'jpeg', width: 33, height: 17 });
  });

  it('reads GIF, BMP (bottom-up and top-down) and the three WebP flavours', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([10, 0, 20, 0]), Buffer.alloc(10)]);
    expect(imageSizeFromHead(gif)).toEqual({ format: 'gif', width: 10, height: 20 });
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(300, 18);
    bmp.writeInt32LE(-200, 22);
    expect(imageSizeFromHead(bmp)).toEqual({ format: 'bmp', width: 300, height: 200 });
    const riff = (chunk: string, payload: number[]): Buffer => {
      const bytes = Buffer.alloc(40);
      bytes.write('RIFF', 0, 'latin1');
      bytes.write('WEBP', 8, 'latin1');
      bytes.write(chunk, 12, 'latin1');
      bytes.set(payload, 20);
      return bytes;
    };
    // VP8X: flags, reserved, then width-1 and height-1 as 24-bit little-endian.
    expect(imageSizeFromHead(riff('VP8X', [0, 0, 0, 0, 99, 0, 0, 49, 0, 0]))).toEqual({ format: 'webp', width: 100, height: 50 });
    // VP8L: signature 0x2f, then 14 bits width-1, 14 bits height-1.
    const bits = (64 - 1) | ((32 - 1) << 14);
    expect(imageSizeFromHead(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, 0]))).toEqual({ format: 'webp', width: 64, height: 32 });
    // VP8: frame tag (3 bytes), start code 9d 01 2a, then 16-bit width and height.
    expect(imageSizeFromHead(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 16, 0, 8, 0]))).toEqual({ format: 'webp', width: 16, height: 8 });
  });

  it('returns null for anything else', () => {
    expect(imageSizeFromHead(Buffer.from('not an image at all, just some text here'))).toBeNull();
  });
});
