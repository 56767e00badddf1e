/**
 * The metadata side of team sync (issue 9, item 3): an append-only log of immutable event
 * objects under `.trainyard/events/`. The sync service runs, with the object transfer between:
 *
 *   push: settlePending → collectRecords → upload batch.objects (eager + lazy) → writeEvents(records, marks)
 *   pull: readEvents → fetch eagerObjects(events) → applyEvents → mergeRegistry
 *
 * Collecting writes nothing (a dry run calls it too). What a record marks once it is in the log
 * (its digest and hlc in sync_pushed, the registry cursor, new or renamed version keys) is
 * committed by writeEvents in the transaction that keeps the event holding it, with that event's
 * hlc; settlePending keeps an event whose PUT landed but whose answer was lost, so its records are
 * not sent again in a newer event.
 *
 * Push before pull: a registry change not yet pushed is merged only as "local, unkeyed" (kept,
 * renumbered if its number is taken), so pushing first gives every change its place in the order.
 */
export { applyEvents, eagerObjects, lazyObjects, type ApplyResult } from './apply';
export { collectRecords, commitMarks, type CollectedBatch, type CollectOptions, type RecordMark } from './collect';
export { readEvents, settlePending, writeEvents, type ReadEvent, type ReadResult, type WriteResult, type WrittenEvent } from './event-log';
export { eventFormat, eventsRoot, type EventBody, type SyncRecord } from './event-schema';
export { Hlc, clockWarningMs, type ClockWarning } from './hlc';
export { mergeRegistry, type MergeConflict, type MergeResult } from './registry-reconcile';
