"""Re-project every stored complaint (register.projection.reproject_all), so the columns of
0018 hold what the projection now writes."""

from django.db import migrations


def reproject(apps, schema_editor):
    """Fill the new columns of the complaints already stored, as the projection now writes
    them (replaying each complaint's log). It uses the projection of this release, so it must
    stay the last migration that changes the complaint's or its rows' columns: a later one
    adding a column must come after it. Empty registers (tests, new installs) skip it."""
    if not apps.get_model("register", "Complaint").objects.exists():
        return
    from klachtenregister.register.projection import reproject_all

    reproject_all()


class Migration(migrations.Migration):
    dependencies = [("register", "0018_figure_classes")]

    operations = [migrations.RunPython(reproject, migrations.RunPython.noop)]
