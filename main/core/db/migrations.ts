/**
 * Schema migrations, applied in order at open inside one transaction each; `user_version` holds
 * how many have run. Never edit a shipped migration: append a new one.
 *
 * Design notes:
 * - Runs have an integer `pk` for joins (metric rows are the bulk of the database, and an 8-byte
 *   key is much cheaper than a 32-character id in every row) and a public 32-hex `id`.
 * - A metric value of NULL means NaN: SQLite turns a bound NaN into NULL, so NULL is the only
 *   faithful encoding. ±Infinity are stored as REAL infinities.
 * - `metric_series` holds one row per (run, key) with the latest value (MLflow's rule) and
 *   totals, so filters and sorts on metrics never touch the points table.
 * - `runs.session` is the id of the app session that owns a RUNNING run (NULL for runs driven by
 *   one-shot CLI commands). Only the writer lock's holder runs, so at start-up every session but
 *   the new one is dead, and its RUNNING runs were interrupted by a crash.
 * - `metric_lod` is the level-of-detail pyramid maintained at ingest: per level (a bucket width in
 *   steps), per bucket, min/max/first/last/count. A chart reads one level, a few thousand rows.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE experiments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    lifecycle_stage TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (experiment_id, key)
  ) WITHOUT ROWID;
  INSERT INTO experiments (id, name, created_at, updated_at)
    VALUES (0, 'Default', CAST(unixepoch('subsec') * 1000 AS INTEGER), CAST(unixepoch('subsec') * 1000 AS INTEGER));

  CREATE TABLE runs (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    experiment_id INTEGER NOT NULL REFERENCES experiments(id),
    parent_pk INTEGER REFERENCES runs(pk) ON DELETE CASCADE,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'KILLED')),
    start_time INTEGER NOT NULL,
    end_time INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER,
    source TEXT,
    environment TEXT,
    session TEXT
  );
  CREATE INDEX runs_experiment_start ON runs (experiment_id, deleted, start_time DESC);
  CREATE INDEX runs_parent ON runs (parent_pk);
  CREATE INDEX runs_status ON runs (status);

  CREATE TABLE params (
    run_pk INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_pk, key)
  ) WITHOUT ROWID;
  CREATE INDEX params_key_value ON params (key, value);

  CREATE TABLE tags (
    run_pk INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_pk, key)
  ) WITHOUT ROWID;
  CREATE INDEX tags_key_value ON tags (key, value);

  CREATE TABLE metric_series (
    id INTEGER PRIMARY KEY,
    run_pk INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    key TEXT NOT NULL,
    latest_step INTEGER NOT NULL,
    latest_timestamp INTEGER NOT NULL,
    latest_value REAL,
    min_value REAL,
    max_value REAL,
    count INTEGER NOT NULL,
    UNIQUE (run_pk, key)
  );
  CREATE INDEX metric_series_key_value ON metric_series (key, latest_value);

  CREATE TABLE metric_points (
    series_id INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    value REAL
  );
  CREATE INDEX metric_points_series_step ON metric_points (series_id, step);

  CREATE TABLE metric_lod (
    series_id INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
    level INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    count INTEGER NOT NULL,
    nan_count INTEGER NOT NULL,
    min_value REAL,
    max_value REAL,
    first_step INTEGER NOT NULL,
    first_value REAL,
    last_step INTEGER NOT NULL,
    last_value REAL,
    last_timestamp INTEGER NOT NULL,
    PRIMARY KEY (series_id, level, bucket)
  ) WITHOUT ROWID;

  CREATE TABLE artifacts (
    run_pk INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    path TEXT NOT NULL,
    md5 TEXT NOT NULL,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (run_pk, path)
  ) WITHOUT ROWID;
  CREATE INDEX artifacts_md5 ON artifacts (md5);
  `,
  `
  -- Datasets (issue 3). A version is immutable: rows are inserted once and never updated.
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE dataset_versions (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    -- DVC object id: the file's md5, or the manifest's md5 + '.dir' for a folder.
    oid TEXT NOT NULL,
    format TEXT NOT NULL,
    file_count INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    row_count INTEGER NOT NULL,
    schema TEXT NOT NULL,
    profile TEXT NOT NULL,
    read_options TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    source_path TEXT,
    steps TEXT,
    fitted TEXT,
    UNIQUE (dataset_id, version),
    UNIQUE (dataset_id, oid)
  );
  CREATE TABLE dataset_files (
    version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
    relpath TEXT NOT NULL,
    md5 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (version_id, relpath)
  ) WITHOUT ROWID;
  CREATE INDEX dataset_files_md5 ON dataset_files (md5);
  CREATE TABLE dataset_lineage (
    child_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
    parent_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
    PRIMARY KEY (child_id, parent_id)
  ) WITHOUT ROWID;
  CREATE TABLE run_inputs (
    run_pk INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
    context TEXT NOT NULL DEFAULT 'train',
    PRIMARY KEY (run_pk, version_id, context)
  ) WITHOUT ROWID;
  CREATE TABLE expectation_suites (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE validation_reports (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
    suite_name TEXT NOT NULL,
    success INTEGER NOT NULL,
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX validation_reports_version ON validation_reports (version_id, created_at DESC);
  -- Skips re-hashing unchanged files: (device, inode) identify the file, size and mtime say it
  -- has not changed. Strings, because inode numbers can exceed 2^53.
  CREATE TABLE file_hash_cache (
    dev TEXT NOT NULL,
    ino TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns TEXT NOT NULL,
    md5 TEXT NOT NULL,
    PRIMARY KEY (dev, ino)
  ) WITHOUT ROWID;
  `,
  `
  -- The model registry (MLflow's model_registry.proto semantics). Names are case-sensitive like
  -- MLflow's. Version numbers come from next_version and are never reused after a delete.
  CREATE TABLE registered_models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    next_version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE TABLE registered_model_tags (
    model_id INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (model_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE model_versions (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    -- The run it came from (NULL once that run is purged; the files below keep the model alive).
    run_id TEXT,
    source TEXT NOT NULL,
    artifact_path TEXT NOT NULL,
    signature TEXT,
    flavor TEXT,
    stage TEXT NOT NULL DEFAULT 'None' CHECK (stage IN ('None', 'Staging', 'Production', 'Archived')),
    status TEXT NOT NULL DEFAULT 'READY',
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (model_id, version)
  );
  CREATE INDEX model_versions_run ON model_versions (run_id);
  -- A version's model directory as it was at registration: content-addressed objects, so later
  -- changes to the run's artifacts (or purging the run) never change a registered model.
  CREATE TABLE model_version_files (
    version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
    relpath TEXT NOT NULL,
    md5 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (version_id, relpath)
  ) WITHOUT ROWID;
  CREATE TABLE model_version_tags (
    version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (version_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE model_aliases (
    model_id INTEGER NOT NULL REFERENCES registered_models(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
    PRIMARY KEY (model_id, alias)
  ) WITHOUT ROWID;
  -- Every change, for the model's history: who, when, what, from → to. Kept when versions go.
  CREATE TABLE registry_events (
    id INTEGER PRIMARY KEY,
    model_name TEXT NOT NULL,
    version INTEGER,
    kind TEXT NOT NULL,
    from_value TEXT,
    to_value TEXT,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX registry_events_model ON registry_events (model_name, id);
  `,
  `
  -- Pipelines (Airflow semantics, SEMANTICS.md §2). A DAG run keeps the exact spec text it ran,
  -- its params and pinned inputs, so "re-run exactly" needs nothing else. Task instances keep
  -- every attempt (retries and clears never overwrite history).
  CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    spec TEXT NOT NULL,
    path TEXT,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE dag_runs (
    id INTEGER PRIMARY KEY,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    logical_date INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    ended_at INTEGER,
    params TEXT NOT NULL,
    spec TEXT NOT NULL,
    base_dir TEXT,
    code_version TEXT,
    inputs TEXT NOT NULL DEFAULT '[]',
    rerun_of INTEGER REFERENCES dag_runs(id) ON DELETE SET NULL,
    force INTEGER NOT NULL DEFAULT 0,
    UNIQUE (pipeline_id, run_id)
  );
  CREATE INDEX dag_runs_state ON dag_runs (state);
  CREATE TABLE task_instances (
    id INTEGER PRIMARY KEY,
    dag_run_id INTEGER NOT NULL REFERENCES dag_runs(id) ON DELETE CASCADE,
    task_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'none',
    try_number INTEGER NOT NULL DEFAULT 0,
    max_tries INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER,
    ended_at INTEGER,
    next_retry_at INTEGER,
    outputs TEXT NOT NULL DEFAULT '{}',
    cache_key TEXT,
    cached_from TEXT,
    message TEXT,
    UNIQUE (dag_run_id, task_id)
  );
  CREATE INDEX task_instances_cache ON task_instances (cache_key) WHERE state = 'success';
  CREATE TABLE task_attempts (
    id INTEGER PRIMARY KEY,
    task_instance_id INTEGER NOT NULL REFERENCES task_instances(id) ON DELETE CASCADE,
    try_number INTEGER NOT NULL,
    state TEXT NOT NULL,
    started_at INTEGER,
    ended_at INTEGER,
    message TEXT,
    run_id TEXT,
    log_path TEXT NOT NULL,
    UNIQUE (task_instance_id, try_number)
  );
  `,
  `
  -- MLflow flavors of a registered version's model directory, as its MLmodel lists them (a JSON
  -- array, e.g. ["python_function","sklearn"]); NULL when it has no MLmodel. Versions registered
  -- through the MLflow REST API or an mlruns import may hold any flavor; only those with a
  -- model.onnx can be served or evaluated here.
  ALTER TABLE model_versions ADD COLUMN mlflow_flavors TEXT;
  `,
  `
  -- Team sync (issue 9, SEMANTICS.md §1 and §4). Remotes: where a team bucket is; credentials are
  -- never stored here (a secret store keeps them: safeStorage in the app, a 0600 file headless).
  CREATE TABLE sync_remotes (
    name TEXT PRIMARY KEY,
    -- NULL: AWS's own endpoint for the region.
    endpoint TEXT,
    region TEXT NOT NULL,
    bucket TEXT NOT NULL,
    -- No leading or trailing slash; '' for the bucket's root.
    prefix TEXT NOT NULL DEFAULT '',
    path_style INTEGER NOT NULL DEFAULT 0,
    auth TEXT NOT NULL CHECK (auth IN ('keys', 'profile', 'environment')),
    profile TEXT,
    -- JSON: what to sync (shared/sync.ts syncScopeSchema).
    scope TEXT NOT NULL DEFAULT '{}',
    -- JSON: what the last connection test found (listing, conditional writes, checksums).
    capabilities TEXT,
    created_at INTEGER NOT NULL
  );
  -- This home as a sync client: a random id, its hybrid logical clock (physical ms + counter).
  CREATE TABLE sync_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    client_id TEXT NOT NULL,
    hlc_ms INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL
  );
  -- Per remote: the next sequence number of this client's event objects, and when it last synced.
  CREATE TABLE sync_remote_state (
    remote TEXT PRIMARY KEY REFERENCES sync_remotes(name) ON DELETE CASCADE,
    next_seq INTEGER NOT NULL DEFAULT 1,
    last_push_at INTEGER,
    last_pull_at INTEGER
  );
  -- Content objects known to be in the bucket (pushed by us or seen in a listing): a no-change
  -- sync needs neither a re-hash nor a HEAD per object.
  CREATE TABLE sync_remote_objects (
    remote TEXT NOT NULL REFERENCES sync_remotes(name) ON DELETE CASCADE,
    oid TEXT NOT NULL,
    PRIMARY KEY (remote, oid)
  ) WITHOUT ROWID;
  -- Multipart uploads in progress, so an interrupted one resumes (ListParts) instead of restarting.
  CREATE TABLE sync_uploads (
    remote TEXT NOT NULL REFERENCES sync_remotes(name) ON DELETE CASCADE,
    oid TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    part_size INTEGER NOT NULL,
    -- JSON [{number, etag, md5}] of the parts known done.
    parts TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (remote, oid)
  ) WITHOUT ROWID;
  -- How far each teammate's (and our own) event log has been read, per remote.
  CREATE TABLE sync_cursors (
    remote TEXT NOT NULL REFERENCES sync_remotes(name) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (remote, client_id)
  ) WITHOUT ROWID;
  -- Every event read or written, kept: the registry is replayed from them in one total order
  -- (hlc, client id, seq), and an event from a newer app version waits here as 'unsupported'.
  CREATE TABLE sync_events (
    remote TEXT NOT NULL,
    client_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hlc TEXT NOT NULL,
    author TEXT NOT NULL,
    format INTEGER NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('applied', 'unsupported', 'failed')),
    message TEXT,
    received_at INTEGER NOT NULL,
    -- 1 for an event this home wrote (recognised by this row, not by client id: a copied home
    -- shares our client id, and its events must still be applied here).
    own INTEGER NOT NULL DEFAULT 0,
    -- How many registry records it holds: the registry replay reads only those events.
    registry_records INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (remote, client_id, seq)
  ) WITHOUT ROWID;
  -- What this home last pushed of each entity (a hash of its record), so a push sends only changes.
  CREATE TABLE sync_pushed (
    remote TEXT NOT NULL REFERENCES sync_remotes(name) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    digest TEXT NOT NULL,
    -- The hlc of the newest record of it in the log (ours or a teammate's): last writer wins.
    hlc TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (remote, kind, entity)
  ) WITHOUT ROWID;
  -- Entities that came from a teammate: who made them, and the remote to fetch their objects from.
  -- hlc: of the record last applied, so an older record never overwrites a newer one.
  CREATE TABLE sync_origins (
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    remote TEXT NOT NULL,
    client_id TEXT NOT NULL,
    author TEXT NOT NULL,
    hlc TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, entity)
  ) WITHOUT ROWID;
  -- A model version's identity across homes (its number may change when a merge renumbers it):
  -- a random key, mapped to the version's current local number. Kept after the version is
  -- deleted, so a later delete or alias record can still name it.
  CREATE TABLE sync_version_keys (
    model TEXT NOT NULL,
    version INTEGER NOT NULL,
    key TEXT NOT NULL UNIQUE,
    PRIMARY KEY (model, version)
  ) WITHOUT ROWID;
  -- Conflicts a merge resolved, shown to the user (never silently dropped).
  CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY,
    remote TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    dismissed_at INTEGER
  );
  -- One row per sync: what moved, and how it ended.
  CREATE TABLE sync_history (
    id INTEGER PRIMARY KEY,
    remote TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('both', 'push', 'pull')),
    dry_run INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    -- JSON shared/sync.ts syncReportSchema.
    report TEXT,
    error TEXT
  );
  `,
];
