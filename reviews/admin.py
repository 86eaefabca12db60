"""Admin views for support staff; day-to-day work happens in the app's own pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import (
    ActionItem,
    Audit,
    AuditScore,
    AuditTemplate,
    Criterion,
    Dispute,
    ImprovementPlan,
    Meeting,
    Review,
    Risk,
    Section,
    TemplateVersion,
)


class TemplateVersionInline(admin.TabularInline):
    model = TemplateVersion
    extra = 0
    fields = ("number", "pass_mark", "change_note", "created_by", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(AuditTemplate)
class AuditTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "archived_at", "created_at")
    inlines = [TemplateVersionInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "position")
    list_select_related = ("version__template",)
    inlines = [CriterionInline]


class AuditScoreInline(admin.TabularInline):
    model = AuditScore
    extra = 0
    fields = ("criterion", "value", "failed", "comment")
    readonly_fields = fields
    can_delete = False


@admin.register(Audit)
class AuditAdmin(SimpleHistoryAdmin):
    list_display = ("pk", "vendor", "version", "reference", "agent", "interaction_date", "score", "result")
    list_filter = ("result", "channel", "version__template")
    list_select_related = ("vendor", "version__template")
    search_fields = ("reference", "agent", "vendor__name")
    inlines = [AuditScoreInline]


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ("audit", "status", "raised_by", "raised_at", "decided_by")
    list_filter = ("status",)
    list_select_related = ("audit__vendor", "raised_by", "decided_by")


class ActionItemInline(admin.TabularInline):
    """On a review: the item takes its vendor from it (`ActionItem.save`)."""

    model = ActionItem
    exclude = ("vendor", "meeting")
    extra = 0


class MeetingActionItemInline(ActionItemInline):
    exclude = ("vendor", "review")


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ("vendor", "period_start", "revision", "status", "rating")
    list_filter = ("status", "cadence")
    list_select_related = ("vendor",)
    exclude = ("snapshot",)
    inlines = [ActionItemInline]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("title", "vendor", "kind", "held_at")
    list_filter = ("kind",)
    list_select_related = ("vendor",)
    raw_id_fields = ("review",)
    filter_horizontal = ("attendees",)
    inlines = [MeetingActionItemInline]


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(SimpleHistoryAdmin):
    list_display = ("vendor", "goal", "deadline", "status")
    list_select_related = ("vendor",)


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "vendor",
        "category",
        "likelihood",
        "impact",
        "score",
        "status",
        "next_review_date",
    )
    list_filter = ("status", "category")
    list_select_related = ("vendor",)
