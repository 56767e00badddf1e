/** Public surface of the graph builder. Running models (onnxruntime-node) is in ./run. */
export { GraphBuilder, Value, hasStaticShape, type GraphBuilderOptions, type NodeRecord, type OutputSpec } from './builder';
export { attr, attrFloat, attrInt, attrInts, type Attr, type Attrs } from './attributes';
export { type DType, type FloatType, type TensorData, type TypedData, isFloat, tensorData, toNumbers } from './dtype';
export { IR_VERSION, OPSET, type EncodeOptions } from './model';
export { type Dim, type Shape, broadcastShapes, formatShape, isStatic, staticSize } from './shape';
export * as op from './ops/index';
