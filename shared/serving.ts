import { z } from 'zod';
import { servedTensorSchema } from './worker-protocol';

/** A model being served over MLflow's scoring protocol (POST `${url}/invocations`). */
export const servedModelSchema = z.object({
  id: z.string(),
  url: z.string(),
  host: z.string(),
  port: z.number(),
  /** The URI it was started from (models:/churn@champion, runs:/<id>/model). */
  uri: z.string(),
  label: z.string(),
  /** The registered version it resolved to, if any. */
  model: z.object({ name: z.string(), version: z.number() }).nullable(),
  startedAt: z.number(),
  inputs: z.array(servedTensorSchema),
  outputs: z.array(servedTensorSchema),
});
export type ServedModelInfo = z.infer<typeof servedModelSchema>;

/** A scoring request relayed through the app (the UI's "try it" form): the server's status and answer. */
export const predictionReplySchema = z.object({
  status: z.number(),
  /** The parsed JSON answer (`{"predictions": …}` or `{"error_code", "message"}`). */
  body: z.unknown(),
  millis: z.number(),
});
export type PredictionReply = z.infer<typeof predictionReplySchema>;
