import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Evidence uploads land in a throwaway MEDIA_ROOT, never in the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
