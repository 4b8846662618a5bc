"""The API's documentation page in a browser: Swagger UI from our own files, under the site's CSP, on a phone."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_swagger_ui_runs_from_local_files_under_the_csp(live_server, page, screenshot_dir):
    problems, requests = [], []
    # The site has no favicon (the browser asks for one on every site): any other error counts, CSP's first.
    page.on("console", lambda message: message.type == "error" and not message.location.get("url", "").endswith(
        "/favicon.ico") and problems.append(f"{message.text} {message.location.get('url')}"))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/api/v1/docs/")
    # Swagger UI has read the served schema and drawn an operation per endpoint.
    page.wait_for_selector(".swagger-ui .opblock-summary-path")
    paths = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert any("/api/v1/memberships/" in p for p in paths) and len(paths) >= 12
    page.screenshot(path=str(screenshot_dir / "api-docs-390.png"), full_page=False)
    assert problems == []
    assert [url for url in requests if not url.startswith(live_server.url)] == []
    # No horizontal scrolling of the page at 390 px: wide tables scroll in their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
