#!/bin/sh
# A script the script module's table runs on the host: it prints its arguments and where it runs.
echo "args: $*"
echo "cwd: $(pwd)"
if [ "$1" = --mark ]; then : > "$2"; fi
echo "to stderr" >&2
