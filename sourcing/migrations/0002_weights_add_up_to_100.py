"""A deferred constraint trigger: a transaction may not commit criteria whose weights do not add up to 100.

Checked at commit, not per row, so a form can rebalance several weights in one transaction. A selection
without criteria (being created, or deleted) passes. Only PostgreSQL has constraint triggers; the
embedded SQLite used by `dev.py up` relies on the service's own check (`criteria_weights_valid`).
"""

from django.db import migrations

SQL = """
CREATE FUNCTION sourcing_check_selection_weights() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    checked bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.selection_id ELSE NEW.selection_id END;
    total bigint;
BEGIN
    SELECT sum(weight) INTO total FROM sourcing_criterion WHERE selection_id = checked;
    IF total IS NOT NULL AND total <> 100 THEN
        RAISE EXCEPTION 'The criteria weights of selection % add up to %; they must add up to 100.', checked, total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'selection_criteria_weights_100';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER selection_criteria_weights_100
    AFTER INSERT OR UPDATE OR DELETE ON sourcing_criterion
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sourcing_check_selection_weights();

CREATE FUNCTION sourcing_check_template_weights() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
BEGIN
    SELECT sum(weight) INTO total FROM sourcing_templatecriterion;
    IF total IS NOT NULL AND total <> 100 THEN
        RAISE EXCEPTION 'The criteria template''s weights add up to %; they must add up to 100.', total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'template_criteria_weights_100';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER template_criteria_weights_100
    AFTER INSERT OR UPDATE OR DELETE ON sourcing_templatecriterion
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sourcing_check_template_weights();
"""

REVERSE_SQL = """
DROP TRIGGER selection_criteria_weights_100 ON sourcing_criterion;
DROP FUNCTION sourcing_check_selection_weights();
DROP TRIGGER template_criteria_weights_100 ON sourcing_templatecriterion;
DROP FUNCTION sourcing_check_template_weights();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters: the function bodies' "%" placeholders belong to RAISE, not to the driver.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(SQL)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [("sourcing", "0001_selection")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
