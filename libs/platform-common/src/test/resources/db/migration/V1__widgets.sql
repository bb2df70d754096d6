create table widget (
    id   text primary key,
    name text not null
);

-- Deliberately no uniqueness on event_id: a duplicate delivery that slipped through would show as a second row.
create table widget_event_seen (
    seq        bigint generated always as identity primary key,
    event_id   uuid not null,
    subject_id text not null,
    event_type text not null
);
