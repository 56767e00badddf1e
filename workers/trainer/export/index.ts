/** Export: a trained model as a forward-only ONNX file over raw columns, its MLmodel, and the check against training. */
export { exportModel } from './export';
export { verifyExport, runExported, trainingPredictions, type Predictions, type RawColumns, type VerifyOptions, type VerifyResult } from './verify';
export { DEFAULT_PROVIDERS, MLFLOW_VERSION, MODEL_FILE, ONNX_VERSION, environmentFiles, mlmodelText } from './mlmodel';
export { rawKindOf, type RawKind } from './columns';
export * from './types';
