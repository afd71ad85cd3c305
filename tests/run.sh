#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what is missing, build, and run every test.
#
#   tests/run.sh                     everything (unit, integration, security, fuzz replay)
#   tests/run.sh --sanitize          ASan+UBSan build (build/asan), daemons included
#   tests/run.sh --label L           only tests with ctest label L (unit, integration, ...)
#   tests/run.sh --no-install        skip deploy/install-deps.sh
#
# Build trees: build/test (default) and build/asan (--sanitize).  Prints
# ctest's summary; exits non-zero if anything fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sanitize=0
label=""
install=1
while [ $# -gt 0 ]; do
	case "$1" in
	--sanitize) sanitize=1 ;;
	--label) label=$2; shift ;;
	--no-install) install=0 ;;
	-h|--help) sed -n '3,11p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

[ "$install" -eq 1 ] && deploy/install-deps.sh
certs/gen-dev-certs.sh --if-missing --quiet

if [ "$sanitize" -eq 1 ]; then
	bdir=build/asan
	cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=Debug -DIMSGW_WERROR=ON -DIMSGW_SANITIZE=ON >/dev/null
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
	bdir=build/test
	cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMSGW_WERROR=ON >/dev/null
fi
cmake --build "$bdir" -j"$(nproc)"

args=(--test-dir "$bdir" --output-on-failure -j2)
[ -n "$label" ] && args+=(-L "$label")
ctest "${args[@]}"
