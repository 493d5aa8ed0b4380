#!/usr/bin/env bash
# Prints the tests that were skipped in the last run and the reason each gave, from Surefire's
# reports, so that `make test` says plainly what it did not check.
set -u
reports=$(dirname "$0")/../build/surefire-reports
[ -d "$reports" ] || exit 0
skips=$(grep -h -A1 '<skipped' "$reports"/TEST-*.xml 2>/dev/null \
    | sed -n 's/.*<skipped message="\([^"]*\)".*/\1/p' | sort | uniq -c)
if [ -n "$skips" ]; then
    echo
    echo "Skipped tests (count, reason):"
    echo "$skips" | sed 's/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g'
fi
