#!/usr/bin/env bash
# Builds the harness image without any image registry: debootstrap a minimal Debian bookworm into a
# folder, import it as the base image, then build deploy/container/Containerfile on it. Needs root,
# debootstrap and podman (or buildah, or docker with a running daemon), and reaches only the Debian
# mirror and the npm registry.
#
#   deploy/container/build-image.sh [tag]            default tag: localhost/harness:0.1.0
#
# Environment (all optional):
#   CONTAINER_ENGINE  podman | buildah | docker (default: the first one found; docker only when its daemon answers)
#   DEBIAN_MIRROR     default http://deb.debian.org/debian
#   DEBIAN_SUITE      default bookworm
#   BASE_IMAGE        an existing Debian image to build on instead (skips debootstrap), e.g. docker.io/library/debian:bookworm-slim
#   REBUILD_BASE=1    debootstrap again even when the base image exists
#   WORK_DIR          where the rootfs is made (default /var/tmp/harness-image)
#   NPM_CA_FILE       the CA bundle npm should trust during the build (default: npm's cafile on this host, else
#                     /etc/ssl/certs/ca-certificates.crt), for a TLS-inspecting proxy; mounted as a build secret, not kept
#   OCI_RUNTIME       podman/buildah only: the OCI runtime for the build's RUN steps, e.g. runc (crun refuses a host
#                     with cgroups in hybrid v1/v2 mode: "cgroups in hybrid mode not supported")
set -euo pipefail
cd "$(dirname "$0")/../.."

tag="${1:-localhost/harness:0.1.0}"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="${WORK_DIR:-/var/tmp/harness-image}"
base="${BASE_IMAGE:-}"

engine="${CONTAINER_ENGINE:-}"
if [ -z "$engine" ]; then
  if command -v podman >/dev/null 2>&1; then engine=podman
  elif command -v buildah >/dev/null 2>&1; then engine=buildah
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then engine=docker
  else echo "build-image: no container engine: install podman (apt-get install podman) or start a docker daemon" >&2; exit 1
  fi
fi

step() { echo "build-image: $* ($(date -u +%H:%M:%S))"; }
started=$(date +%s)

image_exists() {
  case "$engine" in
    podman) podman image exists "$1" ;;
    buildah) buildah inspect --type image "$1" >/dev/null 2>&1 ;;
    docker) docker image inspect "$1" >/dev/null 2>&1 ;;
  esac
}

if [ -z "$base" ]; then
  base="localhost/harness-base:$suite"
  if [ "${REBUILD_BASE:-0}" = 1 ] || ! image_exists "$base"; then
    [ "$(id -u)" = 0 ] || { echo "build-image: debootstrap needs root" >&2; exit 1; }
    command -v debootstrap >/dev/null 2>&1 || { echo "build-image: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
    rootfs="$work/rootfs-$suite"
    rm -rf "$rootfs"
    mkdir -p "$work"
    step "debootstrap --variant=minbase $suite from $mirror"
    debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
      || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
    # The image's apt sources: the suite, its updates and security fixes (debootstrap writes the first only).
    cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} $suite-security main
SOURCES
    # What a container base leaves out: apt caches, docs and man pages of later installs.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/container-excludes" <<'EXCLUDES'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
EXCLUDES
    step "importing $rootfs as $base"
    case "$engine" in
      podman) tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$base" >/dev/null ;;
      docker) tar -C "$rootfs" -c . | docker import --change 'CMD ["/bin/bash"]' - "$base" >/dev/null ;;
      buildah)
        container=$(buildah from scratch)
        buildah add "$container" <(tar -C "$rootfs" -c .) / >/dev/null
        buildah config --cmd /bin/bash "$container"
        buildah commit --rm "$container" "$base" >/dev/null ;;
    esac
    rm -rf "$rootfs"
  else
    step "base image $base exists (REBUILD_BASE=1 to make it again)"
  fi
fi

step "building $tag on $base with $engine"
ca_file="${NPM_CA_FILE:-}"
if [ -z "$ca_file" ] && command -v npm >/dev/null 2>&1; then ca_file=$(npm config get cafile 2>/dev/null || true); fi
if [ -z "$ca_file" ] || [ "$ca_file" = null ] || [ ! -r "$ca_file" ]; then ca_file=/etc/ssl/certs/ca-certificates.crt; fi
[ -r "$ca_file" ] || ca_file=/dev/null
args=(-f deploy/container/Containerfile --build-arg "BASE_IMAGE=$base" --secret "id=npm-ca,src=$ca_file" -t "$tag")
case "$engine" in
  # --format docker keeps the HEALTHCHECK (the OCI format has none).
  podman) podman ${OCI_RUNTIME:+--runtime "$OCI_RUNTIME"} build --format docker --ignorefile deploy/container/Containerfile.dockerignore "${args[@]}" . ;;
  buildah) buildah bud ${OCI_RUNTIME:+--runtime "$OCI_RUNTIME"} --format docker --ignorefile deploy/container/Containerfile.dockerignore "${args[@]}" . ;;
  # BuildKit reads deploy/container/Containerfile.dockerignore by itself (<Dockerfile>.dockerignore).
  docker) DOCKER_BUILDKIT=1 docker build "${args[@]}" . ;;
esac
step "built $tag in $(( $(date +%s) - started ))s"
