#!/usr/bin/env bash
# Runs a command with an X display, for the desktop client's tests and screenshots:
#   test/with-display.sh mvn test
# With $DISPLAY set it uses that display. Otherwise it starts a private Xvfb (if installed) for
# the length of the command and stops it after. Without either, the command runs as it is: the
# desktop tests then skip, saying why (under CI=true they fail instead).
set -u
if [ -n "${DISPLAY:-}" ] || ! command -v Xvfb >/dev/null 2>&1; then
    exec "$@"
fi
fifo=$(mktemp -u)
mkfifo "$fifo"
# -displayfd: Xvfb picks a free display number and writes it when it is ready to accept clients.
Xvfb -displayfd 3 -screen 0 1920x1200x24 -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
xvfb=$!
read -r -t 30 number <"$fifo"
rm -f "$fifo"
if [ -z "${number:-}" ]; then
    echo "with-display.sh: Xvfb did not start" >&2
    kill "$xvfb" 2>/dev/null
    exec "$@"
fi
export DISPLAY=":$number"
"$@"
status=$?
kill "$xvfb" 2>/dev/null
wait "$xvfb" 2>/dev/null
exit $status
