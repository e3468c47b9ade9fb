#!/bin/sh
# The image's entrypoint: its arguments are a harness command (`run …`, `doctor`, `merge …`,
# `compare …`, `validate`, `report …`), run as `node runners/cli.ts …` with the image's Node 24.
#
#   ready                  the readiness check (readiness.sh): OpenCode starts, bubblewrap confines
#   sh | bash | node | …   an absolute path or one of these runs as it is (debugging)
#
# The endpoint and key come from the environment, never from the image:
#   HARNESS_API_KEY_FILE   a file holding vLLM's --api-key (a mounted secret): read into
#                          HARNESS_API_KEY unless that is set already
#   HARNESS_BASE_URL       with `run` and no --endpoint/--resume of your own: the run is an ad-hoc
#   HARNESS_MODEL          target on this endpoint (`--endpoint "$HARNESS_BASE_URL" --model
#   HARNESS_QUANTIZATION   "$HARNESS_MODEL" [--quantization …] --api-key-env HARNESS_API_KEY`), as the
#                          CI and Kubernetes recipes call it
set -eu
cd /opt/harness

if [ -n "${HARNESS_API_KEY_FILE:-}" ] && [ -z "${HARNESS_API_KEY:-}" ]; then
  [ -r "$HARNESS_API_KEY_FILE" ] || { echo "entrypoint: HARNESS_API_KEY_FILE=$HARNESS_API_KEY_FILE is not readable" >&2; exit 2; }
  HARNESS_API_KEY=$(cat "$HARNESS_API_KEY_FILE")
  export HARNESS_API_KEY
fi

case "${1:-}" in
  ready) shift; exec /opt/harness/deploy/container/readiness.sh "$@" ;;
  sh | bash | node | npm | opencode | /*) exec "$@" ;;
  run)
    if [ -n "${HARNESS_BASE_URL:-}" ]; then
      own=""
      for arg in "$@"; do
        case "$arg" in --endpoint | --endpoint=* | --resume | --resume=*) own=yes ;; esac
      done
      if [ -z "$own" ]; then
        [ -n "${HARNESS_MODEL:-}" ] || { echo "entrypoint: HARNESS_BASE_URL is set but HARNESS_MODEL is not (vLLM's served model name)" >&2; exit 2; }
        shift
        set -- run --endpoint "$HARNESS_BASE_URL" --model "$HARNESS_MODEL" ${HARNESS_QUANTIZATION:+--quantization "$HARNESS_QUANTIZATION"} \
          ${HARNESS_API_KEY:+--api-key-env HARNESS_API_KEY} "$@"
        echo "entrypoint: ad-hoc target $HARNESS_MODEL at $HARNESS_BASE_URL (from HARNESS_BASE_URL/HARNESS_MODEL)" >&2
      fi
    fi ;;
esac
exec node /opt/harness/runners/cli.ts "$@"
