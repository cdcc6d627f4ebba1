-- Streams (StreamStore): each organization's log pushed to a destination, read in sequence order.
--
-- HSQLDB commits each DDL statement on its own, so a start stopped in the middle of this script (the index takes
-- a while on millions of events) leaves the statements done so far in place: every statement can be run again
-- (IF NOT EXISTS), and the version is recorded last, in the transaction of the script's end.
--
-- A stream reads one organization and product from a sequence on (MyBatisAuditStore.sequenced): a range of this
-- index, in its order, whatever the size of the log.
CREATE INDEX IF NOT EXISTS audit_event_org_product_seq ON audit_event (space_key, product, seq);

-- The streams: an organization's (space_key), or server-wide (space_key NULL, every organization). A name is
-- unique per organization, and among the server-wide streams: name_scope is the organization, or '' (no space key
-- is empty) for a server-wide stream, since a unique key holds any number of rows whose space_key is NULL. The
-- destination's settings are a JSON object of strings, its secrets encrypted by the streams bundle (opaque here),
-- the products and categories JSON arrays of strings (empty: all). revision guards against two writers saving
-- over each other.
CREATE CACHED TABLE IF NOT EXISTS stream (
  id             VARCHAR(40)                 NOT NULL PRIMARY KEY,
  space_key      VARCHAR(64),
  name_scope     VARCHAR(64)                 NOT NULL,
  name           VARCHAR(200)                NOT NULL,
  type           VARCHAR(64)                 NOT NULL,
  settings       VARCHAR(65536)              NOT NULL,
  sealed_secrets VARBINARY(65536)            NOT NULL,
  products       VARCHAR(4000)               NOT NULL,
  categories     VARCHAR(16000)              NOT NULL,
  state          VARCHAR(16)                 NOT NULL,
  paused_by      VARCHAR(300),
  created        TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  updated        TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  revision       BIGINT                      NOT NULL,
  CONSTRAINT stream_name UNIQUE (name_scope, name)
);

-- Each stream's place in the log of every organization and product it delivers (a server-wide stream has one per
-- organization): the next sequence to deliver, the last success and failure, the last gap (-1: none).
CREATE CACHED TABLE IF NOT EXISTS stream_position (
  stream_id      VARCHAR(40)                 NOT NULL,
  space_key      VARCHAR(64)                 NOT NULL,
  product        VARCHAR(32)                 NOT NULL,
  next_seq       BIGINT                      NOT NULL,
  last_success   TIMESTAMP(3) WITH TIME ZONE,
  last_lag       BIGINT                      NOT NULL,
  last_error     TIMESTAMP(3) WITH TIME ZONE,
  error_category VARCHAR(32),
  error_message  VARCHAR(1000),
  failing_since  TIMESTAMP(3) WITH TIME ZONE,
  gap_from       BIGINT                      NOT NULL,
  gap_to         BIGINT                      NOT NULL,
  PRIMARY KEY (stream_id, space_key, product),
  CONSTRAINT stream_position_stream FOREIGN KEY (stream_id) REFERENCES stream (id)
);
-- An organization's purge deletes every stream's places in its logs.
CREATE INDEX IF NOT EXISTS stream_position_org ON stream_position (space_key);
