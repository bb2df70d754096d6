-- Shared by every service (platform-common): the transactional outbox and the idempotent-consumer log.
create table if not exists outbox_event (
    seq          bigint generated always as identity primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    message_key  text        not null,
    event_type   text        not null,
    payload      text        not null,
    created_at   timestamptz not null,
    published_at timestamptz,
    attempts     integer     not null default 0,
    last_error   text
);

create index if not exists outbox_event_pending on outbox_event (seq) where published_at is null;

create table if not exists processed_event (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null,
    primary key (consumer, event_id)
);
