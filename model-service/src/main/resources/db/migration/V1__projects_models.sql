create table project (
    id             text primary key,
    account_id     text        not null,
    owner_username text        not null,
    name           text        not null,
    slug           text        not null,
    description    text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    deleted_at     timestamptz
);

-- A slug names one live project per owner (ul://{user}/{project}/{model}).
create unique index project_owner_slug on project (account_id, slug) where deleted_at is null;
create index project_owner_created on project (account_id, created_at desc) where deleted_at is null;

create table model (
    id           text primary key,
    account_id   text        not null,
    project_id   text        not null references project (id) on delete cascade,
    name         text        not null,
    slug         text        not null,
    task         text        not null,
    -- ready (has weights) | untrained (architecture only, training fills it) | training | failed
    status       text        not null,
    class_names  text        not null default '[]',
    imgsz        integer,
    stride       integer,
    end2end      boolean     not null default false,
    -- onnx | torchscript | pt of the weights; null while untrained
    format       text,
    architecture text,
    metrics      text        not null default '{}',
    file_size    bigint      not null default 0,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    deleted_at   timestamptz
);

create unique index model_project_slug on model (project_id, slug) where deleted_at is null;
create index model_owner_created on model (account_id, created_at desc) where deleted_at is null;

-- The files of a model: its weights and, later, exports. Each lives under models/{model id}/ in the bucket.
create table model_file (
    id           text primary key,
    model_id     text        not null references model (id) on delete cascade,
    -- weights | export
    kind         text        not null,
    format       text        not null,
    file_name    text        not null,
    object_key   text        not null,
    bytes        bigint      not null,
    content_hash text,
    created_at   timestamptz not null
);

create index model_file_model on model_file (model_id, created_at);
