#!/usr/bin/env bash
# One-time set-up after `npm install`: system packages the harness uses when present, and each
# fixture's dependencies (installed once, linked into every sandbox, never installed per attempt).
set -euo pipefail
cd "$(dirname "$0")/../.."

# bubblewrap confines the agent (isolation: auto falls back to none without it); nftables and
# conntrack refuse and record the sandbox's own connections (network-egress violations); ripgrep
# backs OpenCode's grep and glob tools (without it they fail for every agent); chromium runs the
# report's browser tests.
missing=""
command -v bwrap >/dev/null 2>&1 || missing="$missing bubblewrap"
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || missing="$missing nftables"
command -v conntrack >/dev/null 2>&1 || [ -x /usr/sbin/conntrack ] || missing="$missing conntrack"
command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "setup: optional system packages missing:$missing — install them (e.g. sudo apt-get install$missing)" >&2
  fi
fi

for fixture in fixtures/*/; do
  if [ -f "$fixture/package-lock.json" ]; then
    echo "setup: installing $fixture dependencies"
    npm ci --prefix "$fixture" --no-audit --no-fund --loglevel=error
  fi
done
