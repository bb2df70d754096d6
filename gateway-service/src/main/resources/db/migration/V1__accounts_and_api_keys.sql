create table account (
    id                 text primary key,
    username           text        not null unique,
    email              text,
    plan               text        not null default 'free',
    role               text        not null default 'user',
    status             text        not null default 'active',
    oidc_subject       text unique,
    custom_per_minute  integer,
    custom_per_day     integer,
    created_at         timestamptz not null
);

create table api_key (
    id            text primary key,
    account_id    text        not null references account (id),
    name          text        not null,
    scopes        text        not null,
    display_prefix text       not null,
    secret_hash   text        not null unique,
    created_at    timestamptz not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

create index api_key_account on api_key (account_id) where revoked_at is null;
