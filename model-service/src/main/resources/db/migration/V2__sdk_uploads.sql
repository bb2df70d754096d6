-- A file the SDK uploads straight to the bucket with a presigned PUT (checkpoints, best.pt). The service does not
-- see the PUT end, so it looks for the object and attaches it to the model once it is there, whatever the order of
-- the PUT and the training events.
create table model_upload (
    id          text primary key,
    model_id    text        not null references model (id) on delete cascade,
    account_id  text        not null,
    file_name   text        not null,
    object_key  text        not null,
    run_id      text,
    -- pending | attached | failed | expired
    state       text        not null,
    message     text,
    created_at  timestamptz not null,
    attached_at timestamptz
);

create index model_upload_pending on model_upload (created_at) where state = 'pending';
