-- Pose datasets' keypoint shape ([17, 3]); null for other tasks.
alter table dataset add column kpt_shape text;

-- One row per distinct image of a dataset. The bytes live once per content hash in the bucket; seq orders
-- images and marks what an export version contains (every image with seq <= its watermark).
create table dataset_image (
    seq              bigint generated always as identity primary key,
    id               text        not null unique,
    dataset_id       text        not null references dataset (id) on delete cascade,
    content_hash     text        not null,
    file_name        text        not null,
    split            text        not null,
    width            integer     not null,
    height           integer     not null,
    bytes            bigint      not null,
    content_type     text        not null,
    object_key       text        not null,
    thumbnail_key    text        not null,
    annotations      text        not null,
    annotation_count integer     not null,
    ingest_job_id    text        not null,
    created_at       timestamptz not null
);

create unique index dataset_image_content on dataset_image (dataset_id, content_hash);
create unique index dataset_image_file on dataset_image (dataset_id, file_name);
create index dataset_image_split on dataset_image (dataset_id, split, seq);

-- An upload being ingested. The uploaded files are staged in the bucket first, so a job survives a crash of
-- the replica that took it: a lease that runs out lets another replica resume it.
create table ingest_job (
    id            text        primary key,
    dataset_id    text        not null references dataset (id) on delete cascade,
    account_id    text        not null,
    state         text        not null,
    format        text,
    default_split text        not null,
    files         text        not null,
    total         integer     not null default 0,
    processed     integer     not null default 0,
    added         integer     not null default 0,
    duplicates    integer     not null default 0,
    failed        integer     not null default 0,
    added_bytes   bigint      not null default 0,
    problems      text        not null default '[]',
    message       text,
    attempts      integer     not null default 0,
    lease_until   timestamptz,
    created_at    timestamptz not null,
    started_at    timestamptz,
    finished_at   timestamptz
);

create index ingest_job_pending on ingest_job (created_at) where state in ('queued', 'running');
create index ingest_job_dataset on ingest_job (dataset_id, created_at desc);

-- A numbered, immutable version of a dataset: its images up to a watermark and its class names at that moment.
-- The NDJSON file is rendered again (fresh signed URLs) when a render is older than a few minutes.
create table dataset_export (
    id            text        primary key,
    dataset_id    text        not null references dataset (id) on delete cascade,
    version       integer     not null,
    image_seq_max bigint      not null,
    image_count   integer     not null,
    image_bytes   bigint      not null,
    class_names   text        not null,
    object_key    text        not null,
    bytes         bigint,
    rendered_at   timestamptz,
    created_at    timestamptz not null,
    unique (dataset_id, version)
);
