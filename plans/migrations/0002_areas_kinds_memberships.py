"""Local areas, plan kinds and status, and memberships: each person's role in a plan
replaces the site-wide role groups, and a lead's workstreams move onto their membership.

Every membership made here is written to the audit trail, as any later grant is."""

import datetime as dt

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import connection, migrations, models

import plans.models

# Essex's code and region, as the Ofsted file of area SEND inspections gives them.
KNOWN_AREAS = {
    "Essex": ("E10000012", "East of England",
              "ofsted_area_send_inspections_2016_2022.csv",
              "E10000012,Essex,East of England,2019-09-30"),
}
# The site-wide groups of before, and the role each becomes in a plan.
GROUP_ROLES = {"Board member": "board", "Workstream lead": "lead", "Officer": "officer",
               "Administrator": "admin"}
ROLE_LABELS = {"board": "Board member", "lead": "Workstream lead", "officer": "Officer",
               "admin": "Administrator"}
ACTOR = "Migration: roles became memberships of the plan"
ACTOR_AREAS = "Migration: local areas"
REASON = "Site-wide roles became roles in each plan, which every role read before"
AREA_REASON = "The local area became a record of its own, with its ONS code and region"


def _day(value) -> str | None:
    return f"{value.day} {value:%b %Y}" if value else None


def areas_from_names(apps, schema_editor):
    """Each plan's area name becomes a local area; the change is written to the plan's
    history and the audit trail, so the next person to edit the plan is not shown it."""
    LocalArea = apps.get_model("plans", "LocalArea")
    Plan = apps.get_model("plans", "Plan")
    HistoricalPlan = apps.get_model("plans", "HistoricalPlan")
    now = dt.datetime.now(dt.UTC)
    for plan in Plan.objects.order_by("pk"):
        starts_before = plan.starts_on
        code, region, document, passage = KNOWN_AREAS.get(plan.local_area_name,
                                                          ("", "", "", ""))
        area, _ = LocalArea.objects.get_or_create(
            name=plan.local_area_name, defaults={"ons_code": code, "region": region,
                                            "source_document": document,
                                            "source_passage": passage})
        plan.local_area = area
        if plan.starts_on is None:
            plan.starts_on = plan.declared_fit_for_purpose or plan.statement_submitted
        plan.save(update_fields=["local_area", "starts_on"])
        fields = {field.attname: getattr(plan, field.attname)
                  for field in Plan._meta.concrete_fields}
        HistoricalPlan.objects.create(**fields, history_date=now, history_type="~",
                                      history_change_reason=AREA_REASON)
        changes = {"Local area": [None, area.name]}
        if plan.starts_on != starts_before:
            changes["Starts on"] = [_day(starts_before), _day(plan.starts_on)]
        _append(apps, recorded_at=now, actor=None, actor_label=ACTOR_AREAS, plan_id=plan.pk,
                workstream_code="", action_ref="", object_kind="plan", object_id=str(plan.pk),
                object_label=f"{area.name}: {plan.title}", change_type="changed",
                changes=changes, reason=AREA_REASON)
    if connection.vendor == "postgresql":
        # The columns are altered next in this transaction, which PostgreSQL allows only
        # once the foreign keys of the rows just written have been checked.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def names_from_areas(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.select_related("local_area").order_by("pk"):
        plan.local_area_name = plan.local_area.name if plan.local_area else ""
        plan.save(update_fields=["local_area_name"])


def _person(user) -> str:
    if user.first_name and user.last_name:
        return f"{user.first_name[0]}. {user.last_name}"
    return f"{user.first_name} {user.last_name}".strip() or user.username


def _append(apps, **content):
    from audit.services import GENESIS_HASH, entry_hash

    AuditEntry = apps.get_model("audit", "AuditEntry")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [7_411_952_003])
    last = AuditEntry.objects.order_by("-sequence").values("sequence", "hash").first()
    entry = AuditEntry(sequence=(last["sequence"] + 1) if last else 1,
                       prev_hash=last["hash"] if last else GENESIS_HASH, **content)
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)


def memberships_from_groups(apps, schema_editor):
    """A site-wide role read every plan, so it becomes that role in every plan; a lead
    leads in each plan the workstreams they led there."""
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    Plan = apps.get_model("plans", "Plan")
    Membership = apps.get_model("plans", "Membership")
    HistoricalMembership = apps.get_model("plans", "HistoricalMembership")
    HistoricalLinks = apps.get_model("plans", "HistoricalMembership_workstreams")
    Workstream = apps.get_model("workstreams", "Workstream")
    plans = list(Plan.objects.order_by("pk"))
    members = User.objects.filter(groups__name__in=GROUP_ROLES).distinct()
    if members.exists() and not plans:
        raise RuntimeError(
            "Accounts hold roles but there is no plan to hold them in: load or create a plan "
            "first (python manage.py load_essex_plan), then migrate again.")
    now = dt.datetime.now(dt.UTC)
    for plan in plans:
        for group_name, role in GROUP_ROLES.items():
            for user in User.objects.filter(groups__name=group_name).order_by("pk"):
                led = list(Workstream.objects.filter(plan=plan, leads=user).order_by("order"))
                membership = Membership.objects.create(user=user, plan=plan, role=role)
                if role == "lead":
                    membership.workstreams.set(led)
                record = HistoricalMembership.objects.create(
                    id=membership.pk, user_id=user.pk, plan_id=plan.pk, role=role,
                    history_date=now, history_type="+", history_change_reason=REASON)
                for link in Membership.workstreams.through.objects.filter(
                        membership=membership):
                    HistoricalLinks.objects.create(id=link.pk, history=record,
                                                   membership_id=membership.pk,
                                                   workstream_id=link.workstream_id)
                changes = {"Role": [None, ROLE_LABELS[role]], "Plan": [None, str(plan.title)],
                           "Account": [None, _person(user)]}
                if role == "lead":
                    changes["Workstreams"] = [None, ", ".join(
                        f"{w.code}: {w.name}" for w in led) or None]
                _append(apps, recorded_at=now, actor=None, actor_label=ACTOR, plan_id=plan.pk,
                        workstream_code="", action_ref="", object_kind="membership",
                        object_id=str(membership.pk),
                        object_label=f"{ROLE_LABELS[role]}: {_person(user)}",
                        change_type="created", changes=changes, reason=REASON)
    # The groups go: no right comes from them any more.
    Group.objects.filter(name__in=GROUP_ROLES).delete()


def groups_from_memberships(apps, schema_editor):
    """Back to site-wide groups, which read every plan: whoever held a role in any plan
    holds that group again, so going back widens what a role reads."""
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("plans", "Membership")
    groups = {role: Group.objects.get_or_create(name=name)[0]
              for name, role in GROUP_ROLES.items()}
    for membership in Membership.objects.order_by("pk"):
        if membership.role in groups:
            groups[membership.role].user_set.add(membership.user_id)
        for workstream in membership.workstreams.all():
            workstream.leads.add(membership.user_id)


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0001_initial'),
        ('workstreams', '0003_weakness_carried_from'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('audit', '0003_plans_own_plan'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('board', 'Board member'), ('lead', 'Workstream lead'), ('officer', 'Officer'), ('admin', 'Administrator'), ('adviser', 'DfE/NHS England adviser')], max_length=10)),
            ],
            options={
                'ordering': ['plan', 'user__username', 'role'],
            },
        ),
        migrations.AlterModelOptions(
            name='plan',
            options={'ordering': ['local_area__name', 'slug']},
        ),
        migrations.AddField(
            model_name='historicalplan',
            name='ends_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalplan',
            name='follows',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan'),
        ),
        migrations.AddField(
            model_name='historicalplan',
            name='kind',
            field=models.CharField(choices=[('wsoa', 'Written Statement of Action'), ('app', 'Accelerated Progress Plan'), ('pap', 'Priority Action Plan'), ('strategic', 'Strategic plan (areas for improvement)')], default='wsoa', max_length=12),
        ),
        migrations.AddField(
            model_name='historicalplan',
            name='starts_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalplan',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('in_delivery', 'In delivery'), ('under_monitoring', 'Under monitoring'), ('closed', 'Closed')], default='in_delivery', max_length=20),
        ),
        migrations.AddField(
            model_name='plan',
            name='ends_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='plan',
            name='follows',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='followed_by', to='plans.plan'),
        ),
        migrations.AddField(
            model_name='plan',
            name='kind',
            field=models.CharField(choices=[('wsoa', 'Written Statement of Action'), ('app', 'Accelerated Progress Plan'), ('pap', 'Priority Action Plan'), ('strategic', 'Strategic plan (areas for improvement)')], default='wsoa', max_length=12),
        ),
        migrations.AddField(
            model_name='plan',
            name='starts_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='plan',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('in_delivery', 'In delivery'), ('under_monitoring', 'Under monitoring'), ('closed', 'Closed')], default='in_delivery', max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalplan',
            name='slug',
            field=models.SlugField(help_text="The plan's web address: /essex/ for “essex”.", validators=[plans.models.validate_plan_slug]),
        ),
        migrations.AlterField(
            model_name='plan',
            name='slug',
            field=models.SlugField(help_text="The plan's web address: /essex/ for “essex”.", unique=True, validators=[plans.models.validate_plan_slug]),
        ),
        migrations.CreateModel(
            name='HistoricalLocalArea',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('source_document', models.CharField(blank=True, max_length=200)),
                ('source_passage', models.TextField(blank=True)),
                ('name', models.CharField(max_length=100)),
                ('ons_code', models.CharField(blank=True, help_text='Such as E10000012 for Essex.', max_length=9, verbose_name='ONS code')),
                ('region', models.CharField(blank=True, max_length=100)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical local area',
                'verbose_name_plural': 'historical local areas',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMembership',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('role', models.CharField(choices=[('board', 'Board member'), ('lead', 'Workstream lead'), ('officer', 'Officer'), ('admin', 'Administrator'), ('adviser', 'DfE/NHS England adviser')], max_length=10)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical membership',
                'verbose_name_plural': 'historical memberships',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMembership_workstreams',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='plans.historicalmembership')),
                ('workstream', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='workstreams.workstream')),
            ],
            options={
                'verbose_name': 'HistoricalMembership_workstreams',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='LocalArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source_document', models.CharField(blank=True, max_length=200)),
                ('source_passage', models.TextField(blank=True)),
                ('name', models.CharField(max_length=100)),
                ('ons_code', models.CharField(blank=True, help_text='Such as E10000012 for Essex.', max_length=9, verbose_name='ONS code')),
                ('region', models.CharField(blank=True, max_length=100)),
            ],
            options={
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('ons_code', ''), _negated=True), fields=('ons_code',), name='one_local_area_per_ons_code')],
            },
        ),
        # The area's name becomes a local area of its own: the name is kept aside, the
        # local area added under the name's old name, filled, and the name dropped.
        migrations.RenameField(model_name='historicalplan', old_name='local_area', new_name='local_area_name'),
        migrations.RenameField(model_name='plan', old_name='local_area', new_name='local_area_name'),
        migrations.AddField(
            model_name='historicalplan',
            name='local_area',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.localarea'),
        ),
        migrations.AddField(
            model_name='plan',
            name='local_area',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='plans.localarea'),
        ),
        migrations.RunPython(areas_from_names, names_from_areas),
        # A default, so that going back can add the column to rows that exist.
        migrations.AlterField(model_name='plan', name='local_area_name',
                              field=models.CharField(default='', max_length=100)),
        # History is append-only: the name stays in the rows it was written in, and new
        # rows, which no longer carry it, get the database's default.
        migrations.AlterField(model_name='historicalplan', name='local_area_name',
                              field=models.CharField(db_default='', default='', max_length=100)),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.RemoveField(model_name='historicalplan',
                                                     name='local_area_name')]),
        migrations.RemoveField(model_name='plan', name='local_area_name'),
        migrations.AlterField(
            model_name='plan',
            name='local_area',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='plans.localarea'),
        ),
        migrations.AddConstraint(
            model_name='plan',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('starts_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='plan_ends_after_it_starts'),
        ),
        migrations.AddField(
            model_name='membership',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='plans.plan'),
        ),
        migrations.AddField(
            model_name='membership',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='membership',
            name='workstreams',
            field=models.ManyToManyField(blank=True, help_text='The workstreams a lead leads.', related_name='lead_memberships', to='workstreams.workstream'),
        ),
        migrations.AddField(
            model_name='historicalmembership_workstreams',
            name='membership',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.membership'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('user', 'plan', 'role'), name='one_membership_per_role_per_plan'),
        ),
        migrations.RunPython(memberships_from_groups, groups_from_memberships),
    ]
