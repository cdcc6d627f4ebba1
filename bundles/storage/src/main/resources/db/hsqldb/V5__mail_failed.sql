-- A mail the mail server refused for good (a 5xx answer) is kept, marked failed, and no longer tried: it has no
-- next attempt, so the sender's poll of the due index passes it by.
ALTER TABLE mail_outbox ADD COLUMN failed TIMESTAMP(3) WITH TIME ZONE;
CREATE INDEX mail_outbox_failed ON mail_outbox (failed);
