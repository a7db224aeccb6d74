"""Every page without URL parameters passes the structural accessibility checks, for each kind of visitor."""

import pytest

from tests.a11y import accessibility_problems


def _simple_get_pages(app) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            pages.append(rule.rule)
    return sorted(set(pages))


@pytest.mark.parametrize("visitor", ["anonymous", "learner", "staff"])
def test_pages_are_labelled_named_and_titled(app, client, create_user, staff_user, login, visitor):
    if visitor == "learner":
        login(client, create_user())
    elif visitor == "staff":
        login(client, staff_user)
    failures = {}
    for path in _simple_get_pages(app):
        response = client.get(path)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        problems = accessibility_problems(response.get_data(as_text=True))
        if problems:
            failures[path] = problems
    assert failures == {}
