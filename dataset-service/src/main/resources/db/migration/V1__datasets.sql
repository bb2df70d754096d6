create table dataset (
    id               text primary key,
    account_id       text        not null,
    owner_username   text        not null,
    name             text        not null,
    slug             text        not null,
    description      text,
    task             text        not null,
    visibility       text        not null default 'private',
    status           text        not null default 'ready',
    class_names      text        not null default '[]',
    splits           text        not null default '{}',
    image_count      integer     not null default 0,
    annotation_count integer     not null default 0,
    total_bytes      bigint      not null default 0,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    deleted_at       timestamptz
);

-- A slug names one live dataset per owner (ul://{user}/datasets/{slug}); trashed ones keep theirs aside.
create unique index dataset_owner_slug on dataset (account_id, slug) where deleted_at is null;
create index dataset_owner_created on dataset (account_id, created_at desc) where deleted_at is null;
