"""Every page a role reaches from its navigation loads in Chromium with no console error.

A Content-Security-Policy violation (an inline script or style slipped into a template) is reported by
the browser as a console error, so this walk catches it on every page, with the demo data loaded.
"""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_portfolio():
    call_command("seed_demo", "--vendors", "6", "--months", "13", verbosity=0)


def same_site_links(page, base):
    hrefs = page.eval_on_selector_all("nav a[href], main a[href]", "links => links.map(a => a.href)")
    return [href for href in hrefs if href.startswith(base) and "#" not in href and "/logout" not in href]


@pytest.mark.parametrize("username", ["manager", "qa", "ops", "pm", "staff-northwind-contact"])
def test_pages_reached_from_home_load_cleanly(demo_portfolio, page, login, live_server, username):
    errors = []
    page.on(
        "console",
        lambda message: errors.append((page.url, message.text)) if message.type == "error" else None,
    )
    login(page, username, "demo")
    to_visit = list(dict.fromkeys(same_site_links(page, live_server.url)))
    visited = set()
    # Home's links and, one level down, the links of the pages they open (a bounded crawl).
    for depth in range(2):
        next_round = []
        for url in to_visit:
            if url in visited or len(visited) >= 60:
                continue
            visited.add(url)
            probe = page.request.get(url)  # downloads (PDF, CSV, evidence) are not pages to render
            assert probe.status == 200, f"{url} as {username}: {probe.status}"
            if not probe.headers.get("content-type", "").startswith("text/html"):
                continue
            page.goto(url)
            if depth == 0:
                next_round.extend(same_site_links(page, live_server.url))
        to_visit = list(dict.fromkeys(next_round))
    assert len(visited) > 10
    assert errors == []
