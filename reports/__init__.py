"""Reports: the outcome reports, exports of every list and report, the printable case summary and the
anonymised research export. The one app that reads across casework, learning and jobs; none of them
imports it."""
