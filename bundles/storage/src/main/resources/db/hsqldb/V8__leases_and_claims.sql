-- Work that must run on one server at a time when several share a database (docs/cluster.md): a lease per kind
-- of work, taken and renewed by one holder; its epoch grows whenever another holder takes it over.
CREATE TABLE lease (
  name    VARCHAR(64)                 NOT NULL PRIMARY KEY,
  holder  VARCHAR(200)                NOT NULL,
  epoch   BIGINT                      NOT NULL,
  expires TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
-- An export job is run by the server that claimed it, until its claim expires (that server stopped).
ALTER TABLE export_job ADD COLUMN claimed_by VARCHAR(200);
ALTER TABLE export_job ADD COLUMN claim_expires TIMESTAMP(3) WITH TIME ZONE;
-- A mail given to a server's sender is not given to another until this time (or until it is sent, failed or
-- put back for later).
ALTER TABLE mail_outbox ADD COLUMN claimed_until TIMESTAMP(3) WITH TIME ZONE;
