/**
 * A hand-encoded ONNX model, Y = X + X over a float tensor of shape [1, 4]: the smallest graph
 * that proves an execution provider loads and computes. Encoding protobuf by hand here keeps the
 * probe free of any dependency beyond onnxruntime itself.
 */
const encoder = new TextEncoder();

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

const field = (number: number, wireType: 0 | 2): number[] => varint((number << 3) | wireType);
const int = (number: number, value: number): number[] => [...field(number, 0), ...varint(value)];
const bytesField = (number: number, bytes: readonly number[]): number[] => [...field(number, 2), ...varint(bytes.length), ...bytes];
const text = (number: number, value: string): number[] => bytesField(number, [...encoder.encode(value)]);

const floatType = 1; // TensorProto.DataType.FLOAT

function tensorValueInfo(name: string, dims: readonly number[]): number[] {
  const shape = dims.flatMap((dim) => bytesField(1, int(1, dim))); // TensorShapeProto.dim { dim_value }
  const tensorType = [...int(1, floatType), ...bytesField(2, shape)]; // TypeProto.Tensor
  return [...text(1, name), ...bytesField(2, bytesField(1, tensorType))]; // ValueInfoProto { name, type }
}

export function addModel(): Uint8Array {
  const node = [...text(1, 'X'), ...text(1, 'X'), ...text(2, 'Y'), ...text(3, 'double'), ...text(4, 'Add')];
  const graph = [...bytesField(1, node), ...text(2, 'probe'), ...bytesField(11, tensorValueInfo('X', [1, 4])), ...bytesField(12, tensorValueInfo('Y', [1, 4]))];
  const opset = [...text(1, ''), ...int(2, 17)];
  const model = [...int(1, 8), ...text(2, 'trainyard-probe'), ...bytesField(7, graph), ...bytesField(8, opset)];
  return Uint8Array.from(model);
}
