import { notFound } from '../../../shared/errors';
import { syncReportSchema, type SyncConflict, type SyncDirection, type SyncHistoryEntry, type SyncReport } from '../../../shared/sync';
import type { Database } from '../db/database';

interface HistoryRow {
  id: number;
  remote: string;
  direction: SyncDirection;
  dry_run: number;
  started_at: number;
  ended_at: number | null;
  status: SyncHistoryEntry['status'];
  report: string | null;
  error: string | null;
}

function parseReport(text: string | null): SyncReport | null {
  if (text === null) return null;
  try {
    const parsed = syncReportSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const toEntry = (row: HistoryRow): SyncHistoryEntry => ({
  id: row.id,
  remote: row.remote,
  direction: row.direction,
  dryRun: row.dry_run === 1,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  status: row.status,
  report: parseReport(row.report),
  error: row.error,
});

/** The record of syncs (sync_history) and of the conflicts merges resolved (sync_conflicts). */
export class SyncHistory {
  constructor(private readonly db: Database) {}

  begin(remote: string, direction: SyncDirection, dryRun: boolean): number {
    const { lastInsertRowid } = this.db.prepare("INSERT INTO sync_history (remote, direction, dry_run, started_at, status) VALUES (?, ?, ?, ?, 'running')").run(remote, direction, dryRun ? 1 : 0, Date.now());
    return Number(lastInsertRowid);
  }

  finish(id: number, outcome: { status: 'succeeded' | 'failed' | 'cancelled'; report: SyncReport | null; error: string | null }): void {
    this.db.prepare('UPDATE sync_history SET ended_at = ?, status = ?, report = ?, error = ? WHERE id = ?').run(Date.now(), outcome.status, outcome.report ? JSON.stringify(outcome.report) : null, outcome.error, id);
  }

  /** A sync still 'running' at start-up was cut off by a crash or a kill: say so. */
  markInterrupted(): number {
    return this.db.prepare("UPDATE sync_history SET status = 'failed', ended_at = coalesce(ended_at, ?), error = 'Interrupted: Trainyard stopped during this sync. The next sync resumes where it left off.' WHERE status = 'running'").run(Date.now()).changes;
  }

  list(remote: string | null, limit = 20): SyncHistoryEntry[] {
    const rows = (remote === null
      ? this.db.prepare('SELECT * FROM sync_history ORDER BY id DESC LIMIT ?').all(limit)
      : this.db.prepare('SELECT * FROM sync_history WHERE remote = ? ORDER BY id DESC LIMIT ?').all(remote, limit)) as HistoryRow[];
    return rows.map(toEntry);
  }

  conflicts(remote: string | null): SyncConflict[] {
    const rows = (remote === null
      ? this.db.prepare('SELECT * FROM sync_conflicts WHERE dismissed_at IS NULL ORDER BY id DESC LIMIT 200').all()
      : this.db.prepare('SELECT * FROM sync_conflicts WHERE dismissed_at IS NULL AND remote = ? ORDER BY id DESC LIMIT 200').all(remote)) as Array<{ id: number; remote: string; kind: string; entity: string; message: string; created_at: number }>;
    return rows.map((row) => ({ id: row.id, remote: row.remote, kind: row.kind, entity: row.entity, message: row.message, createdAt: row.created_at }));
  }

  dismissConflict(id: number): void {
    const { changes } = this.db.prepare('UPDATE sync_conflicts SET dismissed_at = ? WHERE id = ? AND dismissed_at IS NULL').run(Date.now(), id);
    if (changes === 0) throw notFound(`No open conflict with id ${id}.`);
  }

  unsupportedEvents(remote: string | null): number {
    const row = (remote === null
      ? this.db.prepare("SELECT count(*) AS n FROM sync_events WHERE status = 'unsupported'").get()
      : this.db.prepare("SELECT count(*) AS n FROM sync_events WHERE status = 'unsupported' AND remote = ?").get(remote)) as { n: number };
    return row.n;
  }

  lastSyncs(remote: string): { lastPushAt: number | null; lastPullAt: number | null } {
    const row = this.db.prepare('SELECT last_push_at, last_pull_at FROM sync_remote_state WHERE remote = ?').get(remote) as { last_push_at: number | null; last_pull_at: number | null } | undefined;
    return { lastPushAt: row?.last_push_at ?? null, lastPullAt: row?.last_pull_at ?? null };
  }
}
