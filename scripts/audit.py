"""`make audit`: known vulnerabilities in the Python environment (pip-audit) and in the npm packages that
ship (`npm audit --omit=dev`), judged against audit-allowlist.toml.

    python scripts/audit.py [--allowlist audit-allowlist.toml] [--unreachable fail|warn]

Fails (exit 1) on:
- a known vulnerability that has a fixed version and is not on the allowlist with an unexpired entry;
- an allowlist entry that has expired, or lacks its id, package, reason or expiry date;
- a vulnerability service that does not answer (pip-audit's PyPI service, npm's audit endpoint): an audit
  that could not look is not a pass. `--unreachable warn` (AUDIT_UNREACHABLE=warn) says so loudly and
  goes on, for a machine that cannot reach them.
A vulnerability with no fix yet is listed but does not fail: there is nothing to upgrade to.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = ROOT / "audit-allowlist.toml"
# pip-audit skips a package its service does not know ("Dependency not found on PyPI"); when most are
# skipped, the service did not answer (a mirror without PyPI's JSON API answers 404 for every one).
SKIPPED_SHARE_UNREACHABLE = 0.5


@dataclass(frozen=True)
class Finding:
    tool: str  # "pip-audit" or "npm"
    package: str
    version: str
    ids: tuple[str, ...]  # the advisory's id first, then its aliases
    fixed_in: tuple[str, ...]  # versions that fix it; empty when none is known
    title: str = ""

    @property
    def fixable(self) -> bool:
        return bool(self.fixed_in)

    def describe(self) -> str:
        fix = f"fixed in {', '.join(self.fixed_in)}" if self.fixed_in else "no fix yet"
        return f"{self.package} {self.version}: {' / '.join(self.ids)} ({fix}){f' {self.title}' if self.title else ''}"


@dataclass
class ToolReport:
    tool: str
    findings: list[Finding] = field(default_factory=list)
    audited: int = 0  # packages looked at
    skipped: list[str] = field(default_factory=list)
    unreachable: str = ""  # why the tool's service could not be asked; empty when it answered


@dataclass(frozen=True)
class Allowance:
    id: str
    package: str
    reason: str
    expires: date

    def covers(self, finding: Finding) -> bool:
        return self.package.lower() == finding.package.lower() and self.id.upper() in {
            identifier.upper() for identifier in finding.ids
        }


@dataclass
class Allowlist:
    entries: list[Allowance] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # malformed entries: each fails the audit


def load_allowlist(text: str) -> Allowlist:
    """`[[allow]]` tables with id, package, reason and expires (a TOML date)."""
    allowlist = Allowlist()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        allowlist.problems.append(f"the allowlist is not valid TOML: {error}")
        return allowlist
    for number, entry in enumerate(data.get("allow", []), start=1):
        missing = [key for key in ("id", "package", "reason", "expires") if not entry.get(key)]
        if missing:
            allowlist.problems.append(f"allowlist entry {number} lacks {', '.join(missing)}")
            continue
        expires = entry["expires"]
        if not isinstance(expires, date):
            allowlist.problems.append(
                f"allowlist entry {number} ({entry['id']}): expires must be a date like 2027-03-31, "
                f"not {expires!r}"
            )
            continue
        allowlist.entries.append(
            Allowance(
                id=str(entry["id"]),
                package=str(entry["package"]),
                reason=str(entry["reason"]),
                expires=expires,
            )
        )
    return allowlist


# --- pip-audit ------------------------------------------------------------------------------------------


def parse_pip_audit(output: str) -> ToolReport:
    """`pip-audit --format json`: {"dependencies": [{"name", "version", "vulns": [...]} or
    {"name", "skip_reason"}], "fixes": [...]}."""
    report = ToolReport(tool="pip-audit")
    try:
        data = json.loads(output)
        dependencies = data["dependencies"]
    except (ValueError, KeyError, TypeError):
        report.unreachable = f"pip-audit gave no report: {output.strip()[:300] or '(nothing)'}"
        return report
    for dependency in dependencies:
        if "skip_reason" in dependency:
            report.skipped.append(f"{dependency.get('name')}: {dependency['skip_reason']}")
            continue
        report.audited += 1
        for vuln in dependency.get("vulns", []):
            report.findings.append(
                Finding(
                    tool="pip-audit",
                    package=dependency["name"],
                    version=dependency.get("version", ""),
                    ids=(vuln["id"], *vuln.get("aliases", [])),
                    fixed_in=tuple(vuln.get("fix_versions", [])),
                )
            )
    total = report.audited + len(report.skipped)
    if total == 0 or len(report.skipped) / total > SKIPPED_SHARE_UNREACHABLE:
        example = report.skipped[0] if report.skipped else "no packages"
        report.unreachable = (
            f"the PyPI vulnerability service did not answer for {len(report.skipped)} of {total} packages "
            f"(e.g. {example})"
        )
    return report


# --- npm audit ------------------------------------------------------------------------------------------

GHSA = re.compile(r"GHSA(-[a-z0-9]{4}){3}", re.IGNORECASE)


def parse_npm_audit(output: str) -> ToolReport:
    """`npm audit --json` (report version 2): {"vulnerabilities": {name: {"via": [advisory or name],
    "fixAvailable": bool or {...}}}, "metadata": {"dependencies": {"total": N}}}; an error is
    {"message": …, "error": …} instead. One finding per advisory on the package it names."""
    report = ToolReport(tool="npm audit")
    try:
        data = json.loads(output)
    except ValueError:
        report.unreachable = f"npm audit gave no report: {output.strip()[:300] or '(nothing)'}"
        return report
    if "vulnerabilities" not in data:
        message = data.get("message") or data.get("error", {}).get("summary") or json.dumps(data)[:300]
        report.unreachable = f"npm's audit endpoint did not answer: {message}"
        return report
    vulnerabilities = data["vulnerabilities"]
    report.audited = data.get("metadata", {}).get("dependencies", {}).get("total", len(vulnerabilities))
    seen: set[tuple[str, str]] = set()
    for entry in vulnerabilities.values():
        for via in entry.get("via", []):
            if not isinstance(via, dict):  # vulnerable only through another package: counted there
                continue
            package = via.get("name") or entry["name"]
            url = via.get("url", "")
            ghsa = GHSA.search(url)
            found = (ghsa.group(0) if ghsa else "", str(via.get("source", "")))
            ids = tuple(dict.fromkeys(i for i in found if i)) or (package,)
            if (package, ids[0]) in seen:
                continue
            seen.add((package, ids[0]))
            owner = vulnerabilities.get(package, entry)
            fix = owner.get("fixAvailable", False)
            if isinstance(fix, dict):
                fixed_in = (f"{fix.get('name', package)}@{fix.get('version', '?')}",)
            else:
                fixed_in = ("npm audit fix",) if fix else ()
            report.findings.append(
                Finding(
                    tool="npm",
                    package=package,
                    version=via.get("range", ""),
                    ids=ids,
                    fixed_in=fixed_in,
                    title=via.get("title", ""),
                )
            )
    return report


# --- The decision ---------------------------------------------------------------------------------------


@dataclass
class Verdict:
    failing: list[Finding] = field(default_factory=list)  # fixable, not allowed
    allowed: list[tuple[Finding, Allowance]] = field(default_factory=list)
    unfixable: list[Finding] = field(default_factory=list)  # no fix yet: listed, not failing
    expired: list[Allowance] = field(default_factory=list)
    unused: list[Allowance] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # unreachable services, malformed entries

    @property
    def ok(self) -> bool:
        return not (self.failing or self.expired or self.problems)


def decide(
    reports: list[ToolReport], allowlist: Allowlist, today: date, *, unreachable_fails: bool = True
) -> Verdict:
    verdict = Verdict(problems=list(allowlist.problems))
    verdict.expired = [entry for entry in allowlist.entries if entry.expires < today]
    valid = [entry for entry in allowlist.entries if entry.expires >= today]
    used: set[Allowance] = set()
    for report in reports:
        if report.unreachable and unreachable_fails:
            verdict.problems.append(f"{report.tool}: {report.unreachable}")
        for finding in report.findings:
            allowance = next((entry for entry in valid if entry.covers(finding)), None)
            if allowance is not None:
                verdict.allowed.append((finding, allowance))
                used.add(allowance)
            elif finding.fixable:
                verdict.failing.append(finding)
            else:
                verdict.unfixable.append(finding)
    verdict.unused = [entry for entry in valid if entry not in used]
    return verdict


def summary(reports: list[ToolReport], verdict: Verdict, *, unreachable_fails: bool = True) -> str:
    lines = []
    for report in reports:
        if report.unreachable:
            label = (
                "UNREACHABLE" if unreachable_fails else "UNREACHABLE (warned, not failed: --unreachable warn)"
            )
            lines.append(f"{report.tool}: {label}: {report.unreachable}")
            continue
        fixable = sum(1 for finding in report.findings if finding.fixable)
        lines.append(
            f"{report.tool}: {report.audited} packages audited, {len(report.findings)} known vulnerabilities "
            f"({fixable} with a fix)"
            + (f", {len(report.skipped)} packages skipped" if report.skipped else "")
        )
    for finding in verdict.failing:
        lines.append(f"  FAIL     {finding.tool}: {finding.describe()}")
    for finding, allowance in verdict.allowed:
        lines.append(
            f"  allowed  {finding.tool}: {finding.describe()} — until {allowance.expires}: {allowance.reason}"
        )
    for finding in verdict.unfixable:
        lines.append(f"  no fix   {finding.tool}: {finding.describe()}")
    for allowance in verdict.expired:
        lines.append(
            f"  EXPIRED  allowlist {allowance.id} ({allowance.package}) expired {allowance.expires}: "
            f"{allowance.reason} — upgrade, or renew it with a new reason"
        )
    for allowance in verdict.unused:
        lines.append(
            f"  unused   allowlist {allowance.id} ({allowance.package}) matches nothing now: remove it"
        )
    for problem in verdict.problems:
        lines.append(f"  PROBLEM  {problem}")
    lines.append("make audit: " + ("passed" if verdict.ok else "FAILED"))
    return "\n".join(lines)


# --- Running the tools ----------------------------------------------------------------------------------


def run_pip_audit() -> ToolReport:
    """The installed environment (this interpreter's venv), the editable project itself skipped."""
    command = [
        sys.executable, "-m", "pip_audit", "--format", "json", "--skip-editable", "--progress-spinner", "off",
        "--vulnerability-service", "pypi",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as error:
        return ToolReport(tool="pip-audit", unreachable=f"pip-audit did not run: {error}")
    report = parse_pip_audit(result.stdout)
    if report.unreachable and result.stderr.strip():
        report.unreachable += f"; pip-audit said: {result.stderr.strip().splitlines()[-1][:300]}"
    return report


def run_npm_audit() -> ToolReport:
    try:
        result = subprocess.run(  # noqa: S603
            ["npm", "audit", "--omit=dev", "--json"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
            cwd=ROOT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return ToolReport(tool="npm audit", unreachable=f"npm audit did not run: {error}")
    return parse_npm_audit(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--allowlist", type=Path, default=ALLOWLIST)
    parser.add_argument(
        "--unreachable",
        choices=("fail", "warn"),
        default=os.environ.get("AUDIT_UNREACHABLE") or "fail",
        help="what a vulnerability service that does not answer does (default fail; AUDIT_UNREACHABLE)",
    )
    args = parser.parse_args(argv)
    allowlist = load_allowlist(args.allowlist.read_text(encoding="utf-8") if args.allowlist.exists() else "")
    reports = [run_pip_audit(), run_npm_audit()]
    fails = args.unreachable == "fail"
    verdict = decide(reports, allowlist, date.today(), unreachable_fails=fails)
    print(summary(reports, verdict, unreachable_fails=fails))
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
