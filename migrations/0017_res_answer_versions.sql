-- The answers' data version (res-answers): every write to a table the answers read bumps the
-- tenant's version in the same transaction, so answers cached by version stay exact (an import too).
-- Statement-level: one bump per statement, whatever the number of rows. The version is not data:
-- it lives in its own schema, outside backups and the data catalogue (only `public` is either).
CREATE SCHEMA IF NOT EXISTS res_cache;
--> statement-breakpoint
CREATE TABLE res_cache.answer_versions (tenant_id uuid PRIMARY KEY, version bigint NOT NULL DEFAULT 1);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION res_answer_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO res_cache.answer_versions (tenant_id, version)
    SELECT DISTINCT tenant_id, 1 FROM changed_rows
  ON CONFLICT (tenant_id) DO UPDATE SET version = res_cache.answer_versions.version + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER res_categories_answers_insert AFTER INSERT ON res_categories REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_categories_answers_update AFTER UPDATE ON res_categories REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_categories_answers_delete AFTER DELETE ON res_categories REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_providers_answers_insert AFTER INSERT ON res_providers REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_providers_answers_update AFTER UPDATE ON res_providers REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_providers_answers_delete AFTER DELETE ON res_providers REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_services_answers_insert AFTER INSERT ON res_services REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_services_answers_update AFTER UPDATE ON res_services REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_services_answers_delete AFTER DELETE ON res_services REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_service_wards_answers_insert AFTER INSERT ON res_service_wards REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_service_wards_answers_update AFTER UPDATE ON res_service_wards REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_service_wards_answers_delete AFTER DELETE ON res_service_wards REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_service_schedules_answers_insert AFTER INSERT ON res_service_schedules REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_service_schedules_answers_update AFTER UPDATE ON res_service_schedules REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_service_schedules_answers_delete AFTER DELETE ON res_service_schedules REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_spend_answers_insert AFTER INSERT ON res_spend REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_spend_answers_update AFTER UPDATE ON res_spend REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_spend_answers_delete AFTER DELETE ON res_spend REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_delivery_answers_insert AFTER INSERT ON res_delivery REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_delivery_answers_update AFTER UPDATE ON res_delivery REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_delivery_answers_delete AFTER DELETE ON res_delivery REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_reach_answers_insert AFTER INSERT ON res_reach REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_reach_answers_update AFTER UPDATE ON res_reach REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_reach_answers_delete AFTER DELETE ON res_reach REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_family_contacts_answers_insert AFTER INSERT ON res_family_contacts REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_family_contacts_answers_update AFTER UPDATE ON res_family_contacts REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_family_contacts_answers_delete AFTER DELETE ON res_family_contacts REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_settings_answers_insert AFTER INSERT ON res_settings REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_settings_answers_update AFTER UPDATE ON res_settings REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
--> statement-breakpoint
CREATE TRIGGER res_settings_answers_delete AFTER DELETE ON res_settings REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION res_answer_version_bump();
