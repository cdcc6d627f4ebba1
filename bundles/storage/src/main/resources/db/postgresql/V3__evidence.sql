-- The tamper-evident log (on every month partition too) (EvidenceLog): each record's position in the tree of its organization and product (NULL
-- for records stored before the log was kept).
ALTER TABLE audit_event ADD COLUMN seq BIGINT;
-- One row per tree: its size and the month (YYYYMM, UTC) of its latest append; locked by every append to it, so
-- the appends of one organization and product take turns and the tree never forks.
CREATE TABLE evidence_tree (
  space_key VARCHAR(64) COLLATE "C" NOT NULL,
  product   VARCHAR(32) COLLATE "C" NOT NULL,
  size      BIGINT      NOT NULL,
  month     CHAR(6)     NOT NULL,
  PRIMARY KEY (space_key, product)
);
-- The tree's hashes as tiles of 64 (tile_level t holds the nodes of level 6t), as C2SP tlog-tiles lays them out.
CREATE TABLE evidence_tile (
  space_key  VARCHAR(64)    NOT NULL,
  product    VARCHAR(32)    NOT NULL,
  tile_level INTEGER        NOT NULL,
  tile_index BIGINT         NOT NULL,
  hashes     BYTEA NOT NULL,
  PRIMARY KEY (space_key, product, tile_level, tile_index)
);
-- The tree's size when each month began, by the server's clock.
CREATE TABLE evidence_month (
  space_key  VARCHAR(64) COLLATE "C" NOT NULL,
  product    VARCHAR(32) COLLATE "C" NOT NULL,
  month      CHAR(6)     NOT NULL,
  start_size BIGINT      NOT NULL,
  PRIMARY KEY (space_key, product, month)
);
-- Leaves whose record is dated in another month than the one they were appended in (late records, dates ahead).
CREATE TABLE evidence_stray (
  space_key   VARCHAR(64) COLLATE "C" NOT NULL,
  product     VARCHAR(32) COLLATE "C" NOT NULL,
  seq         BIGINT      NOT NULL,
  month       CHAR(6)     NOT NULL,
  appended_in CHAR(6)     NOT NULL,
  PRIMARY KEY (space_key, product, seq)
);
CREATE INDEX evidence_stray_month ON evidence_stray (space_key, product, month);
-- Signed checkpoints: each tree's latest (name 'latest') and those of month closes (name YYYYMM).
CREATE TABLE evidence_checkpoint (
  space_key VARCHAR(64) COLLATE "C"     NOT NULL,
  product   VARCHAR(32) COLLATE "C"     NOT NULL,
  name      VARCHAR(8)                  NOT NULL,
  tree_size BIGINT                      NOT NULL,
  root      BYTEA               NOT NULL,
  signed_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  note      VARCHAR(4000)               NOT NULL,
  PRIMARY KEY (space_key, product, name)
);
-- The public keys checkpoints were signed with (C2SP note verifier keys), oldest first.
CREATE TABLE evidence_key (
  verifier   VARCHAR(400)                NOT NULL PRIMARY KEY,
  first_used TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
