"""Placeholder views for surveys; the surveys branch replaces this module."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


survey_list = survey_detail = survey_results = _todo
