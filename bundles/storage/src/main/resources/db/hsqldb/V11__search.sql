-- The search language (EventSearch, SearchIndex, Counts): words of the action text, addresses, and counts kept at
-- every append for the histogram and the facets. Written in the records' transaction (SearchIndex.write), deleted
-- with them (SearchIndex.forget).
--
-- HSQLDB commits each DDL statement on its own: every statement can run again (IF NOT EXISTS), and the one INSERT
-- is last, in the transaction that records the version.

-- The words of the actions: a row says that a word occurs in at least one record of the organization dated in that
-- minute (UTC). word is a 64-bit hash of the organization and the word (Words.key); slot is the writing
-- transaction's (SearchIndex.Slot), so that two writers never insert one row at once. A word search walks its minutes
-- newest first and reads the organization's records of each minute (audit_event_org_date), checking each: a hash two
-- words share, or a minute whose record with the word is gone, only costs records read and dropped. One row per
-- record for a word seen once (an issue key), one row a minute for a common one.
CREATE CACHED TABLE IF NOT EXISTS audit_word (
  word   BIGINT                      NOT NULL,
  minute TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  slot   INT                         NOT NULL,
  PRIMARY KEY (word, minute, slot)
);

-- ip: one address newest first, as the user index does for a user.
CREATE INDEX IF NOT EXISTS audit_event_ip_org_date ON audit_event (ip_address, space_key, event_date, id);

-- Records per hour (UTC) and kind of event. slot: each writing transaction adds to rows of its own slot
-- (SearchIndex.Slots), so two writers never wait for, or collide on, one row; a count is the sum over the slots.
CREATE CACHED TABLE IF NOT EXISTS audit_count (
  space_key VARCHAR(64)                 NOT NULL,
  hour      TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  product   VARCHAR(32)                 NOT NULL,
  category  VARCHAR(64)                 NOT NULL,
  event     VARCHAR(128)                NOT NULL,
  slot      INT                         NOT NULL,
  n         BIGINT                      NOT NULL,
  PRIMARY KEY (space_key, hour, product, category, event, slot)
);

-- Records per day (UTC) and operation user id.
CREATE CACHED TABLE IF NOT EXISTS audit_actor_count (
  space_key VARCHAR(64)                 NOT NULL,
  day       TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  user_id   VARCHAR(128)                NOT NULL,
  slot      INT                         NOT NULL,
  n         BIGINT                      NOT NULL,
  PRIMARY KEY (space_key, day, user_id, slot)
);

-- Records per day (UTC) and IP address.
CREATE CACHED TABLE IF NOT EXISTS audit_ip_count (
  space_key  VARCHAR(64)                 NOT NULL,
  day        TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  ip_address VARCHAR(45)                 NOT NULL,
  slot       INT                         NOT NULL,
  n          BIGINT                      NOT NULL,
  PRIMARY KEY (space_key, day, ip_address, slot)
);

-- Every address an organization's records carry, as 16 bytes (IPv4 mapped) beside its text: an ip: range finds the
-- organization's addresses in it here, one probe each, then walks the ip index for each. Written by the slot of the
-- transaction that first saw the address (so no two writers insert one row at once); kept until the organization is
-- purged (an address whose records expired only costs an empty walk).
CREATE CACHED TABLE IF NOT EXISTS audit_ip (
  space_key  VARCHAR(64)   NOT NULL,
  ip_bytes   VARBINARY(16) NOT NULL,
  ip_address VARCHAR(45)   NOT NULL,
  slot       INT           NOT NULL,
  PRIMARY KEY (space_key, ip_bytes, ip_address, slot)
);

-- The records stored before this script, indexed in the background (SearchBackfill) from next_id up to upto_id;
-- until then the searches that need the index read records one by one, within their bound.
CREATE CACHED TABLE IF NOT EXISTS search_backfill (
  id      INT    NOT NULL PRIMARY KEY,
  next_id BIGINT NOT NULL,
  upto_id BIGINT NOT NULL
);
INSERT INTO search_backfill (id, next_id, upto_id)
  SELECT 1, COALESCE(MIN(id), 0), COALESCE(MAX(id), -1) FROM audit_event;
