-- One training run of a model: managed (started through POST /api/training/start and run by an executor) or an SDK
-- run registered by its training_started event. Both are then tracked through the same telemetry.
create table training_run (
    id               text primary key,
    account_id       text        not null,
    username         text,
    model_id         text        not null,
    model_slug       text,
    project_slug     text,
    dataset_id       text,
    -- managed | sdk
    source           text        not null,
    -- local | kubernetes | external (an SDK run on the user's machine)
    executor         text        not null,
    gpu_type         text,
    epochs           integer     not null,
    image_size       integer,
    -- queued | starting | running | completed | failed | cancelled
    status           text        not null,
    cancel_requested boolean     not null default false,
    -- what the trainer starts from: an architecture (yolo11n.yaml) or a signed URL of .pt weights
    model_source     text,
    data_url         text,
    dataset_uri      text,
    run_key_id       text,
    -- the run-scoped API key, kept only while the run may still need it (a queued run is launched later)
    run_key_secret   text,
    idempotency_key  text,
    epochs_done      integer     not null default 0,
    best_epoch       integer,
    best_fitness     double precision,
    metrics          text        not null default '{}',
    class_names      text,
    train_args       text,
    environment      text,
    device           text,
    model_path       text,
    error            text,
    error_code       text,
    worker_pid       bigint,
    worker_dir       text,
    queued_at        timestamptz not null,
    registered_at    timestamptz,
    started_at       timestamptz,
    ended_at         timestamptz,
    updated_at       timestamptz not null
);

-- One active run per model, enforced by the database so two concurrent starts cannot both win.
create unique index training_run_active_model on training_run (model_id)
    where status in ('queued', 'starting', 'running');
create unique index training_run_idempotency on training_run (account_id, idempotency_key)
    where idempotency_key is not null;
create index training_run_model on training_run (model_id, queued_at desc);
create index training_run_queue on training_run (executor, queued_at) where status = 'queued';

-- Metrics of one epoch; the SDK sends the last epoch twice, so a row is keyed by run and epoch and upserted.
create table training_epoch (
    id          text primary key,
    run_id      text             not null references training_run (id) on delete cascade,
    epoch       integer          not null,
    metrics     text             not null,
    fitness     double precision,
    best_fitness double precision,
    system      text,
    model_info  text,
    recorded_at timestamptz      not null
);

create unique index training_epoch_run_epoch on training_epoch (run_id, epoch);

-- The trainer's console, in the chunks it sent (chunkId counts from 1); repeats of a chunk are ignored.
create table training_log (
    id          text primary key,
    run_id      text        not null references training_run (id) on delete cascade,
    chunk_id    integer     not null,
    content     text        not null,
    line_count  integer     not null,
    received_at timestamptz not null
);

create unique index training_log_run_chunk on training_log (run_id, chunk_id);
