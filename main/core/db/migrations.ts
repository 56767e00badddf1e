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
];
