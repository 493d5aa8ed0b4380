#!/usr/bin/env bash
# Prints the tests that were skipped in the last run and the reason each gave, from Surefire's
# reports, so that `make test` says plainly what it did not check.
set -u
reports=$(dirname "$0")/../build/surefire-reports
[ -d "$reports" ] || exit 0
# Surefire writes a skip as <skipped message="..."/> or, for an aborted JUnit test, as
# <skipped type="...TestAbortedException"><![CDATA[...TestAbortedException: reason
skips=$(grep -h -o -E '<skipped message="[^"]*"|<skipped[^>]*><!\[CDATA\[[^:]*: [^<]*' "$reports"/TEST-*.xml 2>/dev/null \
    | sed -E 's/^<skipped message="(.*)"$/\1/; s/^<skipped[^>]*><!\[CDATA\[[^:]*: //' \
    | sed 's/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' | sort | uniq -c)
if [ -n "$skips" ]; then
    echo
    echo "Skipped tests (count, reason):"
    echo "$skips"
    [ "${CI:-}" = true ] && echo "(CI=true: a skip here is a bug; tests must fail instead)"
fi
exit 0
