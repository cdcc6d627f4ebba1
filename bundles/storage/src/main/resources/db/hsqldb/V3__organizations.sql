-- Organizations and their plan; revision guards against two writers saving over each other.
CREATE CACHED TABLE organization (
  space_key     VARCHAR(64)                 NOT NULL PRIMARY KEY,
  name          VARCHAR(255)                NOT NULL,
  license_count INT                         NOT NULL,
  plan_state    VARCHAR(20)                 NOT NULL,
  plan_admin    VARCHAR(128),
  plan_started  TIMESTAMP(3) WITH TIME ZONE,
  plan_ended    TIMESTAMP(3) WITH TIME ZONE,
  grace_ends    TIMESTAMP(3) WITH TIME ZONE,
  created       TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  deleted       TIMESTAMP(3) WITH TIME ZONE,
  revision      BIGINT                      NOT NULL
);

CREATE CACHED TABLE member (
  space_key VARCHAR(64)  NOT NULL,
  user_id   VARCHAR(128) NOT NULL,
  name      VARCHAR(255) NOT NULL,
  email     VARCHAR(254) NOT NULL,
  role      VARCHAR(10)  NOT NULL,
  PRIMARY KEY (space_key, user_id)
);

-- Every holding of the Audit Log Admin privilege, held or ended, in order.
CREATE CACHED TABLE privilege_grant (
  space_key  VARCHAR(64)                 NOT NULL,
  seq        INT                         NOT NULL,
  user_id    VARCHAR(128)                NOT NULL,
  granted_by VARCHAR(128),
  granted    TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  revoked_by VARCHAR(128),
  revoked    TIMESTAMP(3) WITH TIME ZONE,
  reason     VARCHAR(32),
  PRIMARY KEY (space_key, seq)
);

-- Member tokens expire.
ALTER TABLE api_token ADD COLUMN expires TIMESTAMP(3) WITH TIME ZONE;
