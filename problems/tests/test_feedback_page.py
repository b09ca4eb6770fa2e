"""The enterprise's public feedback page: only this problem, one verdict, clear refusals, never a 500."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import include, path, reverse

import liaison.urls
from problems import services
from problems.feedback.tokens import make_feedback_token
from problems.feedback.urls import urlpatterns as feedback_patterns
from problems.models import ProblemStatus, Verdict, VerdictChannel


def _has_problems_namespace():
    return any(getattr(pattern, "namespace", None) == "problems" for pattern in liaison.urls.urlpatterns)


# The portal's URLs, plus these pages when problems/urls.py is not wired in yet.
urlpatterns = list(liaison.urls.urlpatterns)
if not _has_problems_namespace():
    urlpatterns.append(path("problems/", include((feedback_patterns, "problems"))))
URLCONF = __name__


@pytest.fixture(autouse=True)
def urls(settings):
    settings.ROOT_URLCONF = URLCONF


def feedback_url(problem):
    return reverse("problems:feedback", args=[make_feedback_token(problem)])


@pytest.fixture
def enterprise_contact(enterprise):
    enterprise.contact_name = "张联系"
    enterprise.contact_mobile = "13800001111"
    enterprise.save()
    return enterprise


def test_page_shows_only_the_problem_and_takes_a_verdict(solved, enterprise_contact, cast):
    url = feedback_url(solved)
    assert url.startswith("/problems/feedback/")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "银行已办理续贷500万元。" in text
    assert "企业流动资金紧张" in text
    assert "Solved, awaiting feedback" in text
    for secret in ("13800001111", "张联系", "历下区发展和改革局", "协调合作银行办理续贷", cast["cadre"].username):
        assert secret not in text
    assert 'name="verdict"' in text and "csrfmiddlewaretoken" in text

    response = client.post(url, {"verdict": "satisfied", "comment": "很满意"})
    assert response.status_code == 200
    assert "Thank you: your verdict has been recorded." in response.content.decode()
    solved.refresh_from_db()
    assert solved.status == ProblemStatus.CLOSED
    verdict = Verdict.objects.get(problem=solved)
    assert (verdict.verdict, verdict.comment, verdict.channel) == ("satisfied", "很满意", VerdictChannel.LINK)

    # The link cannot be used again: a thank-you, no form.
    again = client.post(url, {"verdict": "not_satisfied"})
    assert again.status_code == 200
    assert "already been recorded" in again.content.decode()
    assert 'name="verdict"' not in again.content.decode()
    assert Verdict.objects.filter(problem=solved).count() == 1


def test_not_satisfied_reopens(solved):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(feedback_url(solved), {"verdict": "not_satisfied"})
    assert response.status_code == 200
    solved.refresh_from_db()
    assert solved.status == ProblemStatus.REOPENED


def test_missing_verdict_shows_the_form_again(solved):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(feedback_url(solved), {"comment": "x"})
    assert response.status_code == 200
    assert "Choose satisfied, basically satisfied or not satisfied." in response.content.decode()
    assert not Verdict.objects.exists()


@pytest.mark.parametrize("token", ["not-a-token", "eyJwIjoxLCJyIjoxfQ:1vXyZ:bad-signature", "a" * 300])
def test_tampered_tokens_get_410(db, token):
    for method in ("get", "post"):
        response = getattr(Client(HTTP_ACCEPT_LANGUAGE="en"), method)(
            reverse("problems:feedback", args=[token]), {"verdict": "satisfied"}
        )
        assert response.status_code == 410
        assert "This feedback link is not valid." in response.content.decode()


def test_expired_token_gets_410(solved, monkeypatch):
    past = time.time() - timedelta(days=31).total_seconds()
    with monkeypatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: past)
        url = feedback_url(solved)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    assert response.status_code == 410
    assert "This feedback link has expired." in response.content.decode()
    assert "银行已办理续贷" not in response.content.decode()


def test_superseded_and_closed_tokens_get_410(solved, cast, handlers, departments):
    old_url = feedback_url(solved)
    problem = services.reopen(actor=cast["county_staff"], problem=solved, reason="企业反映未落实。")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(old_url)
    assert response.status_code == 410
    assert "no longer awaits your feedback" in response.content.decode()
    problem = services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="再次协调。", department=departments["lx_dev"]
    )
    problem = services.complete(actor=handlers["lx_dev"], problem=problem, result="已再次办理。")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(old_url, {"verdict": "satisfied"})
    assert response.status_code == 410
    assert "earlier round" in response.content.decode()
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(feedback_url(problem)).status_code == 200


def test_form_is_csrf_protected(solved):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(feedback_url(solved), {"verdict": "satisfied"})
    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_page_follows_the_language_switch(solved):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    response = client.get(feedback_url(solved))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert 'action="/i18n/setlang/"' in response.content.decode()


def test_officials_may_open_it_too(solved, cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast["other_county_staff"])
    assert client.get(feedback_url(solved)).status_code == 200
