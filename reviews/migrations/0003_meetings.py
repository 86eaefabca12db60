"""Governance meetings, and action items that come from a review or a meeting.

An action item now carries its vendor. In three steps: add the column, fill it from each item's review
(every existing item has one), then make it NOT NULL. Going back is refused while meeting items exist,
because the old schema has no place for them.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_vendor_from_review(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    for name in ("ActionItem", "HistoricalActionItem"):
        model = apps.get_model("reviews", name)
        vendor = Review.objects.filter(pk=OuterRef("review_id")).values("vendor_id")
        model.objects.filter(vendor__isnull=True, review__isnull=False).update(vendor_id=Subquery(vendor))


def refuse_with_meeting_items(apps, schema_editor):
    ActionItem = apps.get_model("reviews", "ActionItem")
    if ActionItem.objects.filter(meeting__isnull=False).exists():
        raise RuntimeError("Action items from meetings exist: they have no place before 0003; keep 0003.")


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0002_internal_roles_own_risks'),
        ('vendors', '0004_exited_status_and_new_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='actionitem',
            name='vendor',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='vendors.vendor'),
        ),
        migrations.AddField(
            model_name='historicalactionitem',
            name='vendor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='vendors.vendor'),
        ),
        migrations.AlterField(
            model_name='actionitem',
            name='review',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='reviews.review'),
        ),
        migrations.CreateModel(
            name='HistoricalMeeting',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('monthly_review', 'Monthly review'), ('quarterly_business_review', 'Quarterly business review'), ('other', 'Other governance meeting')], default='monthly_review', max_length=30)),
                ('title', models.CharField(max_length=200)),
                ('held_at', models.DateTimeField(verbose_name='held on')),
                ('location', models.CharField(blank=True, max_length=300, verbose_name='location or link')),
                ('other_attendees', models.TextField(blank=True, help_text='People without an account, one a line.')),
                ('agenda', models.TextField(blank=True)),
                ('minutes', models.TextField(blank=True)),
                ('decisions', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('review', models.ForeignKey(blank=True, db_constraint=False, help_text='The periodic review this meeting discussed, if any.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.review')),
                ('vendor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='vendors.vendor')),
            ],
            options={
                'verbose_name': 'historical meeting',
                'verbose_name_plural': 'historical meetings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('monthly_review', 'Monthly review'), ('quarterly_business_review', 'Quarterly business review'), ('other', 'Other governance meeting')], default='monthly_review', max_length=30)),
                ('title', models.CharField(max_length=200)),
                ('held_at', models.DateTimeField(verbose_name='held on')),
                ('location', models.CharField(blank=True, max_length=300, verbose_name='location or link')),
                ('other_attendees', models.TextField(blank=True, help_text='People without an account, one a line.')),
                ('agenda', models.TextField(blank=True)),
                ('minutes', models.TextField(blank=True)),
                ('decisions', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('attendees', models.ManyToManyField(blank=True, help_text="Internal people and the vendor's own staff who attended.", related_name='meetings_attended', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('review', models.ForeignKey(blank=True, help_text='The periodic review this meeting discussed, if any.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='reviews.review')),
                ('vendor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='vendors.vendor')),
            ],
            options={
                'ordering': ['-held_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalMeeting_attendees',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='reviews.historicalmeeting')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.meeting')),
            ],
            options={
                'verbose_name': 'HistoricalMeeting_attendees',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='actionitem',
            name='meeting',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='reviews.meeting'),
        ),
        migrations.AddField(
            model_name='historicalactionitem',
            name='meeting',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.meeting'),
        ),
        migrations.RunPython(fill_vendor_from_review, refuse_with_meeting_items),
        migrations.AlterField(
            model_name='actionitem',
            name='vendor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='vendors.vendor'),
        ),
        migrations.AddConstraint(
            model_name='actionitem',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('meeting__isnull', True), ('review__isnull', False)), models.Q(('meeting__isnull', False), ('review__isnull', True)), _connector='OR'), name='action_item_from_review_or_meeting'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['vendor', '-held_at'], name='meeting_vendor_held_at'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('title__regex', '\\S')), name='meeting_title_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['monthly_review', 'quarterly_business_review', 'other'])), name='meeting_kind_valid'),
        ),
    ]
