-- Event searches that stay fast at millions of events of one organization.
--
-- HSQLDB commits each DDL statement on its own, so a start stopped in the middle of this script (the indexes
-- take minutes on millions of events) leaves the statements done so far in place: every statement is
-- written to be run again (IF EXISTS, IF NOT EXISTS), and the one INSERT is last, in the transaction that
-- records the version.
--
-- The product index leads with product: HSQLDB picks among indexes that share a leading column by its own
-- rules, and with a filter no index holds (category, say) it chose (space_key, product, ...) for a search
-- of the whole organization and read every row of it. With product first, an organization-wide search has
-- exactly one index that starts with its equal column, and a product search one that starts with two.
DROP INDEX audit_event_org_product_date IF EXISTS;
CREATE INDEX IF NOT EXISTS audit_event_product_org_date ON audit_event (product, space_key, event_date, id);

-- The user filter: one index on the operation user id, newest first per user.
CREATE INDEX IF NOT EXISTS audit_event_user_org_date ON audit_event (operation_user_id, space_key, event_date, id);

-- Every (id, name, email) an organization's records have carried, so that a search by name or email finds
-- the user ids to walk in the index above instead of reading every row. Written before the records that
-- carry them; never fewer rows than the records need (an extra row only costs an empty walk).
CREATE CACHED TABLE IF NOT EXISTS audit_user (
  space_key  VARCHAR(64)  NOT NULL,
  user_id    VARCHAR(128) NOT NULL,
  user_name  VARCHAR(255) NOT NULL,
  user_email VARCHAR(254) NOT NULL,
  PRIMARY KEY (space_key, user_id, user_name, user_email)
);
CREATE INDEX IF NOT EXISTS audit_user_name ON audit_user (space_key, user_name);
CREATE INDEX IF NOT EXISTS audit_user_email ON audit_user (space_key, user_email);
INSERT INTO audit_user (space_key, user_id, user_name, user_email)
  SELECT DISTINCT space_key, operation_user_id, operation_user_name, operation_user_email FROM audit_event;
