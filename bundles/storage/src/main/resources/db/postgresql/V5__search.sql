-- The search language, as HSQLDB's V11__search.sql (read there what each table is for).
--
-- The words are partitioned by month as the records are, so that retention drops a month of both; Partitions makes
-- and drops audit_word_pYYYYMM with audit_event_pYYYYMM, and at every start makes the word partitions of months
-- that have records and none (the months there were before this script).
CREATE TABLE audit_word (
  word   BIGINT                      NOT NULL,
  minute TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  slot   INT                         NOT NULL,
  PRIMARY KEY (word, minute, slot)
) PARTITION BY RANGE (minute);

-- Made on every month's partition now, in this script's transaction, and on every partition made later
-- (Partitions.INDEXES: audit_event_pYYYYMM_ip_org_date). Writes to the events wait while it is built.
CREATE INDEX audit_event_ip_org_date ON audit_event (ip_address, space_key, event_date, id);

CREATE TABLE audit_count (
  space_key VARCHAR(64) COLLATE "C"     NOT NULL,
  hour      TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  product   VARCHAR(32) COLLATE "C"     NOT NULL,
  category  VARCHAR(64) COLLATE "C"     NOT NULL,
  event     VARCHAR(128) COLLATE "C"    NOT NULL,
  slot      INT                         NOT NULL,
  n         BIGINT                      NOT NULL,
  PRIMARY KEY (space_key, hour, product, category, event, slot)
);

CREATE TABLE audit_actor_count (
  space_key VARCHAR(64) COLLATE "C"     NOT NULL,
  day       TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  user_id   VARCHAR(128) COLLATE "C"    NOT NULL,
  slot      INT                         NOT NULL,
  n         BIGINT                      NOT NULL,
  PRIMARY KEY (space_key, day, user_id, slot)
);

CREATE TABLE audit_ip_count (
  space_key  VARCHAR(64) COLLATE "C"     NOT NULL,
  day        TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  ip_address VARCHAR(45) COLLATE "C"     NOT NULL,
  slot       INT                         NOT NULL,
  n          BIGINT                      NOT NULL,
  PRIMARY KEY (space_key, day, ip_address, slot)
);

CREATE TABLE audit_ip (
  space_key  VARCHAR(64) COLLATE "C" NOT NULL,
  ip_bytes   BYTEA                   NOT NULL,
  ip_address VARCHAR(45) COLLATE "C" NOT NULL,
  slot       INT                     NOT NULL,
  PRIMARY KEY (space_key, ip_bytes, ip_address, slot)
);

CREATE TABLE search_backfill (
  id      INT    NOT NULL PRIMARY KEY,
  next_id BIGINT NOT NULL,
  upto_id BIGINT NOT NULL
);
INSERT INTO search_backfill (id, next_id, upto_id)
  SELECT 1, COALESCE(MIN(id), 0), COALESCE(MAX(id), -1) FROM audit_event;
