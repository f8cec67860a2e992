#!/usr/bin/env bash
# Lets `apt-get source` work: adds source entries beside the machine's own Debian entries (the same
# archives, suites and keys, "Types: deb-src"), unless a source entry exists already. Then updates
# the package lists. Used by .ci/run (libseccomp's source for the foreign-architecture seccomp tests)
# and tools/decode-agreement/strace-tests.py (strace's own test programs).
set -euo pipefail
if grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  exit 0
fi
out=/etc/apt/sources.list.d/pssyscall-deb-src.sources
: > "$out.tmp"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -e "$f" ] && sed -n 's/^Types: deb$/Types: deb-src/; /^Types: deb-src$/,/^$/p' "$f" >> "$out.tmp"
done
if [ -f /etc/apt/sources.list ]; then   # one-line format
  sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list > /etc/apt/sources.list.d/pssyscall-deb-src.list
fi
mv "$out.tmp" "$out"
apt-get update -qq
