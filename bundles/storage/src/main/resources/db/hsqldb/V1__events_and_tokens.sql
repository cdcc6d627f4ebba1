-- Audit records: one row per V1 record. CACHED keeps rows on disk, not all in memory.
CREATE CACHED TABLE audit_event (
  id                   BIGINT                      NOT NULL PRIMARY KEY,
  space_key            VARCHAR(64)                 NOT NULL,
  product              VARCHAR(32)                 NOT NULL,
  event_date           TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  category             VARCHAR(64)                 NOT NULL,
  event                VARCHAR(128)                NOT NULL,
  action               VARCHAR(1024)               NOT NULL,
  operation_user_id    VARCHAR(128)                NOT NULL,
  operation_user_name  VARCHAR(255)                NOT NULL,
  operation_user_email VARCHAR(254)                NOT NULL,
  ip_address           VARCHAR(45)                 NOT NULL,
  user_agent           VARCHAR(512)                NOT NULL,
  version              VARCHAR(8)                  NOT NULL
);
-- Newest-first reads of one organization, and of one organization and product (exports).
CREATE INDEX audit_event_org_date ON audit_event (space_key, event_date, id);
CREATE INDEX audit_event_org_product_date ON audit_event (space_key, product, event_date, id);

-- Bearer tokens: the secret is kept only as its SHA-256 hash.
CREATE CACHED TABLE api_token (
  id          VARCHAR(32)                 NOT NULL PRIMARY KEY,
  kind        VARCHAR(16)                 NOT NULL,
  product     VARCHAR(32),
  space_key   VARCHAR(64),
  user_id     VARCHAR(128),
  secret_hash VARBINARY(32)               NOT NULL,
  created     TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  revoked     TIMESTAMP(3) WITH TIME ZONE
);
