"""Reads of the vendor registry that need care: pagination and related rows in fixed queries."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def vendor_list_rows(vendors, *, page):
    vendors = vendors.select_related("owner").prefetch_related("services")
    return Paginator(vendors, PAGE_SIZE).get_page(page)
