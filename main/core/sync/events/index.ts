/**
 * The metadata side of team sync (issue 9, item 3): an append-only log of immutable event
 * objects under `.trainyard/events/`. The sync service runs, with the object transfer between:
 *
 *   push: collectRecords → upload batch.objects (eager + lazy) → writeEvents → markPushed
 *   pull: readEvents → fetch eagerObjects(events) → applyEvents → mergeRegistry
 *
 * Push before pull: a registry change not yet pushed is merged only as "local, unkeyed" (kept,
 * renumbered if its number is taken), so pushing first gives every change its place in the order.
 */
export { applyEvents, eagerObjects, lazyObjects, type ApplyResult } from './apply';
export { collectRecords, markPushed, type CollectedBatch, type CollectOptions } from './collect';
export { readEvents, writeEvents, type ReadEvent, type ReadResult, type WriteResult, type WrittenEvent } from './event-log';
export { eventFormat, eventsRoot, type EventBody, type SyncRecord } from './event-schema';
export { Hlc, clockWarningMs, type ClockWarning } from './hlc';
export { mergeRegistry, type MergeConflict, type MergeResult } from './registry-reconcile';
