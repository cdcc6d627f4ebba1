-- Late records: when a record dated in a month that had ended was last stored, per organization, product and
-- month (YYYYMM, UTC). A past month's export file built before that moment is built again; knowing it is one
-- lookup here, where counting the month's records took seconds per million.
CREATE TABLE IF NOT EXISTS late_record (
  space_key   VARCHAR(64)                 NOT NULL,
  product     VARCHAR(32)                 NOT NULL,
  month       CHAR(6)                     NOT NULL,
  last_stored TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (space_key, product, month)
);
