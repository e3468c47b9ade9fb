#!/bin/sh
# Readiness of the image (HEALTHCHECK, a Kubernetes probe, or `<image> ready`): exit 0 when a run
# here would work and be confined, 1 with the reason otherwise. About 5 s; no model is called.
#
#   1. Node is 24 (the npm package `node`), and `harness run --dry-run` loads the config and
#      scenarios (a real CLI command: config errors exit 2 here, not hours later);
#   2. OpenCode starts: `opencode --version` runs the binary of the npm package `opencode-ai`;
#   3. bubblewrap confines: the harness's own isolation check (detectIsolation, what `harness run`
#      prints as `isolation …` at its start) says bubblewrap, and the recorder of refused
#      connections (nftables + conntrack) works — or says why not;
#   4. the network namespace can be prepared: a bubblewrap sandbox with its own network, entered
#      with nsenter as `harness run` does to bridge the model proxy in (it stops with exit 5 where
#      this fails).
#
#   readiness.sh [--allow-isolation-none] [--deep]
#     --allow-isolation-none   ready even when 3 or 4 fail (the run then says `isolation none` in its report)
#     --deep                   also one real attempt: scenario add-stock-widget on the embedded scripted
#                              model `reference` (OpenCode, the model proxy, the checks; about a minute)
# Environment: HARNESS_CONFIG (default harness.config.ts).
set -eu
cd /opt/harness
allow_none=""; deep=""
for arg in "$@"; do
  case "$arg" in
    --allow-isolation-none) allow_none=yes ;;
    --deep) deep=yes ;;
    *) echo "readiness: unknown option $arg" >&2; exit 2 ;;
  esac
done
config="${HARNESS_CONFIG:-harness.config.ts}"
fail() { echo "readiness: NOT READY: $*" >&2; exit 1; }

major=$(node --version | cut -d. -f1)
[ "$major" = v24 ] || fail "node is $(node --version), not 24 (PATH=$PATH)"
node runners/cli.ts run --config "$config" --dry-run >/dev/null 2>/tmp/readiness-dry-run.txt \
  || fail "harness run --dry-run: $(tail -n 5 /tmp/readiness-dry-run.txt)"
echo "readiness: node $(node --version), config $config and its scenarios load"

version=$(timeout 30 opencode --version 2>&1) || fail "opencode --version: $version"
echo "readiness: opencode $version starts"

isolation=$(node --input-type=module -e "
  const { detectIsolation } = await import('/opt/harness/runners/platform/confinement/confinement.ts');
  const level = detectIsolation('auto');
  console.log(level.kind === 'none' ? 'none: ' + level.reason
    : 'bubblewrap: ' + (level.egressRecorder.kind === 'none' ? 'refused connections not recorded: ' + level.egressRecorder.reason : 'refused connections recorded (nftables + conntrack)'));
") || fail "the isolation check did not run: $isolation"
case "$isolation" in
  bubblewrap*) echo "readiness: isolation $isolation" ;;
  *) [ -n "$allow_none" ] || fail "isolation $isolation (deploy/container/README.md: what bubblewrap needs in a container)"
     echo "readiness: isolation $isolation (allowed by --allow-isolation-none)" ;;
esac

if [ "${isolation%%:*}" = bubblewrap ]; then
  # What prepareNetwork does first: enter the sandbox's network namespace from outside it.
  info=$(mktemp)
  bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --die-with-parent --unshare-pid --unshare-net --cap-drop ALL \
    --info-fd 3 sleep 30 3>"$info" &
  sandbox=$!
  pid=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pid=$(sed -n 's/.*"child-pid": *\([0-9]*\).*/\1/p' "$info")
    [ -n "$pid" ] && break
    sleep 0.2
  done
  rm -f "$info"
  entered=$( { [ -n "$pid" ] && nsenter -t "$pid" -n ip -o link show lo; } 2>&1) && ok=yes || ok=""
  kill "$sandbox" 2>/dev/null || true
  wait "$sandbox" 2>/dev/null || true
  if [ -z "$ok" ]; then
    [ -n "$allow_none" ] || fail "cannot enter a sandbox's network namespace (nsenter -t <pid> -n): ${entered:-no sandbox process} — harness run would stop with exit 5"
    echo "readiness: cannot enter a sandbox's network namespace (allowed by --allow-isolation-none): $entered"
  else
    echo "readiness: a sandbox's network namespace can be entered (nsenter -n)"
  fi
fi

if [ -n "$deep" ]; then
  out=$(mktemp -d)
  started=$(date +%s)
  node runners/cli.ts run --config harness.config.ts --scenario add-stock-widget --target scripted-reference --out "$out" >"$out/run.txt" 2>&1 \
    || fail "one attempt on the scripted model did not pass: $(tail -n 15 "$out/run.txt")"
  echo "readiness: one attempt (add-stock-widget × scripted-reference) passed in $(( $(date +%s) - started ))s: $(grep -m1 '^isolation\|isolation ' "$out/run.txt" || true)"
  rm -rf "$out"
fi
echo "readiness: READY"
