"""Placeholder views for the issue log; the issues branch replaces this module."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


issue_list = issue_create = issue_detail = issue_comment = issue_move = issue_owners = comment_attachment = (
    _todo
)
