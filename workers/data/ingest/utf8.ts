/**
 * Byte-level UTF-8 rules (RFC 3629), for the slow path only: chunks that the native
 * `buffer.isUtf8` rejects are walked here to find where they go wrong.
 */

/** The length of the sequence a lead byte starts, or 0 when it cannot start one. */
export function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The length of `bytes` without a trailing sequence that the next chunk will complete. */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= 3 && back <= end; back++) {
    const byte = bytes[end - back]!;
    if (byte < 0x80) return end;
    if (byte >= 0xc0) return sequenceLength(byte) > back ? end - back : end;
  }
  return end;
}

/** Where a walk over bytes found its first invalid byte and first valid multi-byte character. */
export interface Utf8Findings {
  firstInvalid: number | null;
  firstMultibyte: number | null;
}

/**
 * Walks `bytes` and records (as `base` + index) the first invalid byte and the first valid
 * multi-byte sequence not already recorded. Stops as soon as both are known.
 */
export function scanUtf8(bytes: Uint8Array, base: number, findings: Utf8Findings): void {
  let index = 0;
  while (index < bytes.length && (findings.firstInvalid === null || findings.firstMultibyte === null)) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    const length = validSequenceAt(bytes, index);
    if (length === 0) {
      findings.firstInvalid ??= base + index;
      index++;
    } else {
      findings.firstMultibyte ??= base + index;
      index += length;
    }
  }
}

/** The length of the valid multi-byte sequence at `index`, or 0 (overlongs and surrogates included). */
function validSequenceAt(bytes: Uint8Array, index: number): number {
  const lead = bytes[index]!;
  const length = sequenceLength(lead);
  if (length < 2 || index + length > bytes.length) return 0;
  const second = bytes[index + 1]!;
  const [low, high] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[index + k]!;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}
