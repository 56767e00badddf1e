/**
 * The one place that loads onnx-proto. The package is CommonJS with `module.exports = $root`,
 * which Node's ESM loader cannot split into named exports, so `import { onnx }` fails under plain
 * Node (vitest) while it works once bundled. The default import works in both.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

export const onnx: typeof OnnxTypes = onnxProto.onnx;
export type { OnnxTypes };
