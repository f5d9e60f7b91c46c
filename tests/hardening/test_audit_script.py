"""Issue 19, dependencies: `make audit` (scripts/audit.py) fails only on a known vulnerability that has a
fix and is not on the allowlist with an unexpired entry, on an expired or malformed entry, and on a
vulnerability service that did not answer. The decision is tested on canned pip-audit and npm output."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("tobira_audit_script", ROOT / "scripts" / "audit.py")
assert _spec and _spec.loader
audit = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = audit  # dataclasses look their module up
_spec.loader.exec_module(audit)

TODAY = date(2026, 12, 6)


def pip_output(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def package(name: str, version: str = "1.0", *vulns: dict) -> dict:
    return {"name": name, "version": version, "vulns": list(vulns)}


def vuln(identifier: str, *fixes: str, aliases: tuple[str, ...] = ()) -> dict:
    return {"id": identifier, "fix_versions": list(fixes), "aliases": list(aliases), "description": "…"}


def allowlist(*entries: str) -> object:
    return audit.load_allowlist("\n".join(entries))


def entry(identifier: str, name: str, expires: str, reason: str = "no upgrade path yet (#1)") -> str:
    return f'[[allow]]\nid = "{identifier}"\npackage = "{name}"\nreason = "{reason}"\nexpires = {expires}\n'


CLEAN_NPM = json.dumps(
    {"auditReportVersion": 2, "vulnerabilities": {}, "metadata": {"dependencies": {"total": 3}}}
)


def verdict(pip: str, npm: str = CLEAN_NPM, allowed: object = None, **options: object):
    reports = [audit.parse_pip_audit(pip), audit.parse_npm_audit(npm)]
    return audit.decide(reports, allowed or allowlist(), TODAY, **options), reports


def test_a_clean_environment_passes():
    result, reports = verdict(pip_output(package("django", "5.2.9"), package("celery", "5.5")))
    assert result.ok
    assert reports[0].audited == 2
    assert "make audit: passed" in audit.summary(reports, result)


def test_a_fixable_vulnerability_fails_and_is_named():
    pip = pip_output(package("django", "5.2.0", vuln("PYSEC-2026-1", "5.2.8", aliases=("CVE-2026-1",))))
    result, reports = verdict(pip)
    assert not result.ok
    assert [finding.package for finding in result.failing] == ["django"]
    text = audit.summary(reports, result)
    assert "FAIL     pip-audit: django 5.2.0: PYSEC-2026-1 / CVE-2026-1 (fixed in 5.2.8)" in text
    assert "make audit: FAILED" in text


def test_a_vulnerability_without_a_fix_is_listed_but_does_not_fail():
    result, reports = verdict(pip_output(package("lxml", "6.0", vuln("GHSA-aaaa-bbbb-cccc"))))
    assert result.ok
    assert [finding.ids[0] for finding in result.unfixable] == ["GHSA-aaaa-bbbb-cccc"]
    assert "no fix   pip-audit: lxml 6.0: GHSA-aaaa-bbbb-cccc (no fix yet)" in audit.summary(reports, result)


def test_an_unexpired_allowlist_entry_covers_the_vulnerability_by_id_or_alias():
    pip = pip_output(package("Django", "5.2.0", vuln("PYSEC-2026-1", "5.2.8", aliases=("CVE-2026-1",))))
    allowed = allowlist(entry("CVE-2026-1", "django", "2027-01-31", reason="the fix needs Python 3.12"))
    result, reports = verdict(pip, allowed=allowed)
    assert result.ok
    assert "until 2027-01-31: the fix needs Python 3.12" in audit.summary(reports, result)


def test_an_entry_for_another_package_or_id_does_not_cover_it():
    pip = pip_output(package("django", "5.2.0", vuln("PYSEC-2026-1", "5.2.8")))
    allowed = allowlist(
        entry("PYSEC-2026-1", "celery", "2027-01-31"), entry("PYSEC-2026-2", "django", "2027-01-31")
    )
    result, _reports = verdict(pip, allowed=allowed)
    assert not result.ok
    assert len(result.failing) == 1
    assert len(result.unused) == 2


def test_an_expired_entry_fails_even_when_it_still_matches():
    pip = pip_output(package("django", "5.2.0", vuln("PYSEC-2026-1", "5.2.8")))
    allowed = allowlist(entry("PYSEC-2026-1", "django", "2026-12-05"))
    result, reports = verdict(pip, allowed=allowed)
    assert not result.ok
    assert [allowance.id for allowance in result.expired] == ["PYSEC-2026-1"]
    assert [finding.package for finding in result.failing] == ["django"]
    assert "EXPIRED  allowlist PYSEC-2026-1 (django) expired 2026-12-05" in audit.summary(reports, result)


def test_an_entry_expiring_today_still_counts():
    pip = pip_output(package("django", "5.2.0", vuln("PYSEC-2026-1", "5.2.8")))
    result, _reports = verdict(pip, allowed=allowlist(entry("PYSEC-2026-1", "django", "2026-12-06")))
    assert result.ok


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[allow]]\nid = "X"\npackage = "django"\nexpires = 2027-01-01\n', "lacks reason"),
        ('[[allow]]\nid = "X"\npackage = "django"\nreason = "r"\nexpires = "soon"\n', "must be a date"),
        ("[[allow]\n", "not valid TOML"),
    ],
)
def test_a_malformed_allowlist_fails(text, problem):
    result, _reports = verdict(pip_output(package("django")), allowed=audit.load_allowlist(text))
    assert not result.ok
    assert problem in result.problems[0]


def test_pip_audit_that_could_not_ask_pypi_fails_loudly():
    """A mirror without PyPI's JSON API: pip-audit skips every package and says 'No known vulnerabilities'
    (exit 0). That must not pass."""
    skipped = [
        {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} (1.0)"}
        for name in ("django", "celery", "redis")
    ]
    result, reports = verdict(pip_output(*skipped, package("tobira-local")))
    assert not result.ok
    assert "pypi vulnerability service did not answer for 3 of 4 packages" in result.problems[0].lower()
    assert "UNREACHABLE" in audit.summary(reports, result)


def test_a_few_skipped_packages_are_counted_not_failed():
    skipped = {"name": "local-thing", "skip_reason": "Dependency not found on PyPI and could not be audited"}
    result, reports = verdict(pip_output(skipped, package("django"), package("celery")))
    assert result.ok
    assert "1 packages skipped" in audit.summary(reports, result)


def test_no_report_at_all_is_unreachable():
    result, _reports = verdict("")
    assert not result.ok
    assert "pip-audit gave no report" in result.problems[0]


NPM_ERROR = json.dumps(
    {
        "message": "405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk",
        "statusCode": 405,
        "error": {"summary": "", "detail": ""},
    }
)


def test_npm_audit_whose_endpoint_refuses_fails_loudly():
    result, reports = verdict(pip_output(package("django")), NPM_ERROR)
    assert not result.ok
    assert "npm's audit endpoint did not answer: 405 Method Not Allowed" in result.problems[0]


def test_unreachable_can_be_warned_instead_of_failed_but_says_so():
    result, reports = verdict(pip_output(package("django")), NPM_ERROR, unreachable_fails=False)
    assert result.ok
    text = audit.summary(reports, result, unreachable_fails=False)
    assert "npm audit: UNREACHABLE (warned, not failed" in text


NPM_REPORT = json.dumps(
    {
        "auditReportVersion": 2,
        "vulnerabilities": {
            "htmx.org": {
                "name": "htmx.org",
                "severity": "moderate",
                "via": [
                    {
                        "source": 1099001,
                        "name": "htmx.org",
                        "title": "XSS in hx-on",
                        "url": "https://github.com/advisories/GHSA-abcd-efgh-ijkl",
                        "range": "<2.0.9",
                    }
                ],
                "fixAvailable": True,
            },
            "tabler-thing": {
                "name": "tabler-thing",
                "via": ["bootstrap"],  # only through another package: counted on that one
                "fixAvailable": False,
            },
            "bootstrap": {
                "name": "bootstrap",
                "via": [
                    {
                        "source": 1099002,
                        "name": "bootstrap",
                        "title": "ReDoS in carousel",
                        "url": "https://github.com/advisories/GHSA-mnop-qrst-uvwx",
                        "range": "<5.3.9",
                    }
                ],
                "fixAvailable": False,
            },
        },
        "metadata": {"dependencies": {"total": 12}},
    }
)


def test_npm_advisories_with_and_without_a_fix():
    result, reports = verdict(pip_output(package("django")), NPM_REPORT)
    assert reports[1].audited == 12
    assert [(f.package, f.ids) for f in result.failing] == [("htmx.org", ("GHSA-abcd-efgh-ijkl", "1099001"))]
    assert [f.package for f in result.unfixable] == ["bootstrap"]
    assert not result.ok


def test_npm_advisory_allowlisted_by_its_ghsa_id():
    allowed = allowlist(entry("GHSA-abcd-efgh-ijkl", "htmx.org", "2027-02-01", reason="we never use hx-on"))
    result, reports = verdict(pip_output(package("django")), NPM_REPORT, allowed=allowed)
    assert result.ok
    assert "allowed  npm: htmx.org <2.0.9: GHSA-abcd-efgh-ijkl / 1099001" in audit.summary(reports, result)


def test_the_shipped_allowlist_is_valid_and_short():
    shipped = audit.load_allowlist((ROOT / "audit-allowlist.toml").read_text(encoding="utf-8"))
    assert shipped.problems == []
    assert len(shipped.entries) <= 10


def test_the_script_exits_1_when_a_service_cannot_be_asked(tmp_path, monkeypatch):
    """main() end to end with both tools replaced: an unreachable service is exit 1, warned is 0."""
    monkeypatch.setattr(audit, "run_pip_audit", lambda: audit.parse_pip_audit(pip_output(package("django"))))
    monkeypatch.setattr(audit, "run_npm_audit", lambda: audit.parse_npm_audit(NPM_ERROR))
    monkeypatch.delenv("AUDIT_UNREACHABLE", raising=False)
    assert audit.main(["--allowlist", str(tmp_path / "none.toml")]) == 1
    assert audit.main(["--allowlist", str(tmp_path / "none.toml"), "--unreachable", "warn"]) == 0


def test_the_script_runs_as_make_audit_does():
    """It starts and answers --help without Django (make audit runs it with the venv's Python)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "audit.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "--unreachable" in result.stdout
