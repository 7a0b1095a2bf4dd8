from django.contrib import admin

from klachtenregister.reports.models import MeasureResult, RegulationReview


@admin.register(RegulationReview)
class RegulationReviewAdmin(admin.ModelAdmin):
    list_display = ("organisation", "reviewed_on", "reviewed_by", "new_version")
    list_filter = ("organisation",)


@admin.register(MeasureResult)
class MeasureResultAdmin(admin.ModelAdmin):
    list_display = ("event", "carried_out_on", "effect", "satisfaction")
    list_filter = ("effect", "satisfaction")
