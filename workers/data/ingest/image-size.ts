import { open, type FileHandle } from 'node:fs/promises';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';

export interface ImageSize {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
}

/** Enough for every header but JPEG's, whose frame header may follow a long EXIF block. */
const firstRead = 64;

/**
 * Width and height from an image's header bytes: no decoding, and no more than the first few
 * bytes (for JPEG, the segment headers up to the frame header, skipping the segments between).
 * Returns null for anything that is not a PNG, JPEG, GIF, BMP or WebP image.
 */
export async function readImageSize(file: string): Promise<ImageSize | null> {
  const handle = await open(file, 'r');
  try {
    const head = await readAt(handle, 0, firstRead);
    if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8) return await jpegSize(handle);
    return imageSizeFromHead(head);
  } finally {
    await handle.close();
  }
}

/** The size of a non-JPEG image from its first 64 bytes. */
export function imageSizeFromHead(b: Buffer): ImageSize | null {
  const ascii = (start: number, end: number): string => b.toString('latin1', start, end);
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && ascii(12, 16) === 'IHDR') {
    return sized('png', b.readUInt32BE(16), b.readUInt32BE(20));
  }
  if (b.length >= 10 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) {
    return sized('gif', b.readUInt16LE(6), b.readUInt16LE(8));
  }
  if (b.length >= 26 && ascii(0, 2) === 'BM') {
    // BITMAPCOREHEADER (12 bytes) has 16-bit sizes; later headers 32-bit, negative height = top-down.
    if (b.readUInt32LE(14) === 12) return sized('bmp', b.readUInt16LE(18), b.readUInt16LE(20));
    return sized('bmp', Math.abs(b.readInt32LE(18)), Math.abs(b.readInt32LE(22)));
  }
  if (b.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') {
    const chunk = ascii(12, 16);
    if (chunk === 'VP8X') return sized('webp', 1 + b.readUIntLE(24, 3), 1 + b.readUIntLE(27, 3));
    if (chunk === 'VP8L' && b[20] === 0x2f) {
      const bits = b.readUInt32LE(21);
      return sized('webp', 1 + (bits & 0x3fff), 1 + ((bits >>> 14) & 0x3fff));
    }
    if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
      return sized('webp', b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
    }
  }
  return null;
}

function sized(format: ImageFormat, width: number, height: number): ImageSize | null {
  return width > 0 && height > 0 ? { format, width, height } : null;
}

/**
 * Walks JPEG markers from the start of image to the first start-of-frame (SOF0…SOF15 but DHT,
 * JPG and DAC, which share the range), reading 4 bytes per segment and jumping over its body.
 */
async function jpegSize(handle: FileHandle): Promise<ImageSize | null> {
  let position = 2;
  for (let segments = 0; segments < 1000; segments++) {
    const marker = await readAt(handle, position, 9);
    if (marker.length < 4 || marker[0] !== 0xff) return null;
    const code = marker[1]!;
    // Fill bytes (0xFF) may pad between segments; standalone markers have no length.
    if (code === 0xff) {
      position += 1;
      continue;
    }
    if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) {
      position += 2;
      continue;
    }
    if (code === 0xd9 || code === 0xda) return null;
    const length = marker.readUInt16BE(2);
    const isFrame = code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;
    if (isFrame) return marker.length < 9 ? null : sized('jpeg', marker.readUInt16BE(7), marker.readUInt16BE(5));
    if (length < 2) return null;
    position += 2 + length;
  }
  return null;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
