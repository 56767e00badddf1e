import { existsSync } from 'node:fs';
import { openDatabase, type Database } from './db/database';
import { homeLayout, resolveHome } from './home';
import { ExperimentService } from './tracking/experiment-service';
import { TrackingService } from './tracking/tracking-service';
import { WorkbenchError } from '../../shared/errors';

/** Read-only access to a home, for CLI reads while the app holds the writer lock. */
export interface Reader {
  readonly db: Database;
  readonly experiments: ExperimentService;
  readonly tracking: TrackingService;
  close(): void;
}

export function openReader(home?: string): Reader {
  const layout = homeLayout(resolveHome(home));
  if (!existsSync(layout.database)) {
    throw new WorkbenchError('NOT_FOUND', `No Trainyard data in ${layout.root} yet. Start the app or log a run first.`);
  }
  const db = openDatabase(layout.database, { readonly: true });
  const experiments = new ExperimentService(db);
  const tracking = new TrackingService(db, experiments, () => null);
  return { db, experiments, tracking, close: () => db.close() };
}
