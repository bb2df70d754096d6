-- Run-scoped keys: issued by training-service for one training run (its trainer reports with it), expiring, and
-- revoked when the run ends.
alter table api_key add column run_id text;
alter table api_key add column expires_at timestamptz;

create index api_key_run on api_key (run_id) where run_id is not null and revoked_at is null;
