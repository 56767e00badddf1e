/** Models: spec and θ layout, PyTorch-style seeded init, the shared forward graph, dropout masks. */
export { ACTIVATIONS, type Activation, type Head, type ConvLayerSpec, type ConvLayout, type ImageInputSpec, type LayerLayout, type PoolKind, type ResolvedImageInput, type ModelSpec, type ParamEntry, type ParamKind, type ParamLayout, type RegressionLoss, type ResolvedModelSpec, type Task, convLayouts, layerLayouts, paramLayout, paramView, resolveModelSpec } from './spec';
export { INIT_STREAM, initParameters, linearInitBound } from './init';
export { type ForwardOptions, type InferenceGraphOptions, type InferenceOutputs, type ParamSource, LAYER_NORM_EPS, LEAKY_RELU_SLOPE, activate, addInferenceGraph, buildForward, buildInference, buildLoss, buildMetricSum, predictedClass } from './forward';
export { DROPOUT_STREAM, FEISTEL_ROUNDS, MAX_MASK_ELEMENTS, dropoutKeys, dropoutMaskGraph, dropoutMaskReference, feistelGraph, feistelReference, stepKeysGraph, stepKeysReference } from './dropout-mask';
export { Prng, deriveSeed, mix32, permutation } from './prng';
