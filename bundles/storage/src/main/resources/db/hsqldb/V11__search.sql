-- The search language (EventSearch, SearchIndex, Counts): words of the action text, addresses, and counts kept at
-- every append for the histogram and the facets. Written in the records' transaction (SearchIndex.write), deleted
-- with them (SearchIndex.forget).
--
-- HSQLDB commits each DDL statement on its own: every statement can run again (IF NOT EXISTS), and the one INSERT
-- is last, in the transaction that records the version.

-- The words of each record's action: one row per distinct word, its key a 64-bit hash of the organization and the
-- word (SearchIndex.wordKey). A word search walks this key newest first and reads the records it names; a hash that
-- two words share only costs a record read and dropped, since every record read is checked against the search.
CREATE CACHED TABLE IF NOT EXISTS audit_word (
  word       BIGINT                      NOT NULL,
  event_date TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  id         BIGINT                      NOT NULL,
  PRIMARY KEY (word, event_date, id)
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

-- Records per day (UTC) and IP address, with the address as 16 bytes (IPv4 mapped): an ip: range finds the
-- addresses of an organization in it here, then walks the ip index for each.
CREATE CACHED TABLE IF NOT EXISTS audit_ip_count (
  space_key  VARCHAR(64)                 NOT NULL,
  day        TIMESTAMP(0) WITH TIME ZONE NOT NULL,
  ip_address VARCHAR(45)                 NOT NULL,
  ip_bytes   VARBINARY(16)               NOT NULL,
  slot       INT                         NOT NULL,
  n          BIGINT                      NOT NULL,
  PRIMARY KEY (space_key, day, ip_address, slot)
);
CREATE INDEX IF NOT EXISTS audit_ip_count_bytes ON audit_ip_count (space_key, ip_bytes);

-- The records stored before this script, indexed in the background (SearchBackfill) from next_id up to upto_id;
-- until then the searches that need the index read records one by one, within their bound.
CREATE CACHED TABLE IF NOT EXISTS search_backfill (
  id      INT    NOT NULL PRIMARY KEY,
  next_id BIGINT NOT NULL,
  upto_id BIGINT NOT NULL
);
INSERT INTO search_backfill (id, next_id, upto_id)
  SELECT 1, COALESCE(MIN(id), 0), COALESCE(MAX(id), -1) FROM audit_event;
