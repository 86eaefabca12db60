"""Pages of the vendors app: the registry, a vendor's records, onboarding templates and tasks."""

from django.shortcuts import render


def form_page(request, form, *, heading, back, button="Save", intro="", status=200):
    """The one page every create/edit form of the app renders (crispy, with a way back)."""
    context = {"form": form, "heading": heading, "back": back, "button": button, "intro": intro}
    return render(request, "vendors/form_page.html", context, status=status)
