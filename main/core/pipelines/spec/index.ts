/** The pipeline spec: parsing `pipeline.yaml`, its graph, durations, params and references. */
export { parsePipeline, type ParsedPipeline, type SpecReference } from './parse-pipeline';
export { PipelineSpecError, formatIssue, type PipelineSpecIssue } from './spec-error';
export { resolveReferences, scanReferences, formatReference, type Reference, type ReferenceContext, type ReferenceToken } from './references';
export { parseDuration } from './durations';
export { runParams } from './run-params';
export { ancestorsOf, topologicalOrder } from './dependencies';
export { cronPresets } from './schedule-syntax';
