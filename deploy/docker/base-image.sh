#!/usr/bin/env bash
# Builds Bakeguard's base images locally with debootstrap (Debian bookworm) and `docker import`, so that
# the image builds without pulling anything from a registry (design.md s.8).
#
#   deploy/docker/base-image.sh                 runtime base: headless JRE 17        -> bakeguard-base:bookworm
#   deploy/docker/base-image.sh --build         build base: headless JDK 17          -> bakeguard-build:bookworm
#   deploy/docker/base-image.sh --tag T --force rebuild even when the tag exists, under another tag
#   deploy/docker/base-image.sh --build --with-host-ca   also trust the host's extra CAs
#                                    (/usr/local/share/ca-certificates/*.crt), for a build stage behind a
#                                    TLS-intercepting proxy that must reach Maven Central
#
# Needs root (debootstrap), debootstrap and a running Docker daemon. The Debian mirror is taken from
# $DEBIAN_MIRROR, else from apt's configured sources, else http://deb.debian.org/debian.
set -euo pipefail

variant=runtime
tag=""
force=no
host_ca=no
while [ $# -gt 0 ]; do
  case "$1" in
    --build) variant=build ;;
    --runtime) variant=runtime ;;
    --tag) tag="${2:?--tag needs a value}"; shift ;;
    --force) force=yes ;;
    --with-host-ca) host_ca=yes ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "base-image.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$variant" = build ]; then
  tag="${tag:-bakeguard-build:bookworm}"
  packages="openjdk-17-jdk-headless,ca-certificates,tini"
else
  tag="${tag:-bakeguard-base:bookworm}"
  packages="openjdk-17-jre-headless,ca-certificates,tini"
fi

command -v docker >/dev/null || { echo "base-image.sh: docker is not installed (apt-get install docker.io)" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "base-image.sh: no Docker daemon answers (start dockerd)" >&2; exit 1; }
if [ "$force" = no ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base-image.sh: $tag exists already (use --force to rebuild)"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "base-image.sh: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "base-image.sh: debootstrap needs root; run it with sudo" >&2; exit 1; }

mirror="${DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  # deb822 sources (URIs: ...) or one-line sources (deb URL bookworm main), whichever apt uses here.
  mirror=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
    | grep -v -- '-security' | head -n 1 || true)
  if [ -z "$mirror" ]; then
    mirror=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' | grep -v -- '-security' | head -n 1 || true)
  fi
  mirror="${mirror:-http://deb.debian.org/debian}"
fi

arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
root=$(mktemp -d /tmp/bakeguard-rootfs.XXXXXX)
# Never leave a mounted /proc under the tree that is removed.
trap 'umount "$root/proc" 2>/dev/null; rm -rf --one-file-system "$root"' EXIT

echo "base-image.sh: debootstrap bookworm ($variant: $packages) from $mirror into $root"
debootstrap --variant=minbase --arch="$arch" --include="$packages" bookworm "$root" "$mirror" \
  > "$root.debootstrap.log" 2>&1 || {
    echo "base-image.sh: debootstrap failed; last lines of $root.debootstrap.log:" >&2
    tail -n 20 "$root.debootstrap.log" >&2
    exit 1
  }
rm -f "$root.debootstrap.log"

if [ "$host_ca" = yes ]; then
  shopt -s nullglob
  cas=(/usr/local/share/ca-certificates/*.crt)
  if [ ${#cas[@]} -eq 0 ]; then
    echo "base-image.sh: --with-host-ca: no /usr/local/share/ca-certificates/*.crt on this host" >&2
    exit 1
  fi
  cp "${cas[@]}" "$root/usr/local/share/ca-certificates/"
  # Also refreshes Java's cacerts through ca-certificates-java's hook.
  mount -t proc proc "$root/proc" 2>/dev/null || true
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || { umount "$root/proc" 2>/dev/null; echo "base-image.sh: update-ca-certificates failed" >&2; exit 1; }
  umount "$root/proc" 2>/dev/null || true
  echo "base-image.sh: trusting ${#cas[@]} extra CA certificate(s) from the host"
fi

# Smaller and reproducible enough: no package lists, caches, docs or man pages in the image.
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/doc/* "$root"/usr/share/man/* \
  "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/tmp/* "$root"/root/.cache 2>/dev/null || true
# The apt sources inside the image point at the same mirror, for users who extend it.
echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"

java_home="/usr/lib/jvm/java-17-openjdk-$arch"
[ -x "$root$java_home/bin/java" ] || { echo "base-image.sh: $java_home/bin/java missing in the rootfs" >&2; exit 1; }

tar --numeric-owner -C "$root" -cf - . | docker import \
  --change "ENV JAVA_HOME=$java_home" \
  --change "ENV PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV LANG=C.UTF-8" \
  --change 'CMD ["/bin/bash"]' \
  --message "Debian bookworm minbase + $packages (deploy/docker/base-image.sh)" \
  - "$tag" >/dev/null
docker run --rm "$tag" java -version >/dev/null 2>&1 || { echo "base-image.sh: java does not run in $tag" >&2; exit 1; }
echo "base-image.sh: built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
