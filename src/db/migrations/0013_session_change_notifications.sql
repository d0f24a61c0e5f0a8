-- Each instance keeps the sessions it has looked up for a few seconds (services/session-cache.ts).
-- Whatever could end a session or change what it carries (logout, a password change or reset,
-- a member removed or given another role, an organization's plan or settings) tells every
-- instance at commit, whichever code path or tool (psql included) made the change: NOTIFY on
-- channel stackaudit_sessions, payload '<table>:<id>', or '<table>:*' for a large statement.
CREATE FUNCTION "stackaudit_notify_session_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bigint;
BEGIN
  SELECT count(*) INTO changed FROM old_rows;
  IF changed > 100 THEN
    PERFORM pg_notify('stackaudit_sessions', TG_TABLE_NAME || ':*');
  ELSIF changed > 0 THEN
    PERFORM pg_notify('stackaudit_sessions', TG_TABLE_NAME || ':' || id) FROM old_rows;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "sessions_changed_update" AFTER UPDATE ON "sessions" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "stackaudit_notify_session_change"();--> statement-breakpoint
CREATE TRIGGER "sessions_changed_delete" AFTER DELETE ON "sessions" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "stackaudit_notify_session_change"();--> statement-breakpoint
CREATE TRIGGER "users_changed_update" AFTER UPDATE ON "users" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "stackaudit_notify_session_change"();--> statement-breakpoint
CREATE TRIGGER "users_changed_delete" AFTER DELETE ON "users" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "stackaudit_notify_session_change"();--> statement-breakpoint
CREATE TRIGGER "organizations_changed_update" AFTER UPDATE ON "organizations" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "stackaudit_notify_session_change"();--> statement-breakpoint
CREATE TRIGGER "organizations_changed_delete" AFTER DELETE ON "organizations" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "stackaudit_notify_session_change"();
