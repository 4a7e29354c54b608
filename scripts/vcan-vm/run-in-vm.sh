#!/usr/bin/env bash
# Runs a command as root inside a throw-away QEMU VM whose kernel has SocketCAN, with vcan0 up.
# This machine's kernel has no AF_CAN; the VM boots Debian's stock kernel (downloaded once with
# `apt-get download`, unpacked, never installed), sees the host's root filesystem read-only over
# 9p and one host directory read-write at its own path, and exits with the command's status.
# It boots in a few seconds; code inside runs under software emulation (roughly 10x slower), so
# build on the host and run only the part that needs the bus inside.
#
# Usage: scripts/vcan-vm/run-in-vm.sh [-t SECONDS] [-w DIR] [-m MB] COMMAND
#   COMMAND  one string, run by bash in the guest from the current directory
#   -t       whole-VM timeout (default 180); exit 124 when it expires
#   -w       host directory shared read-write (default: the current directory)
#   -m       guest memory in MB (default 1024)
# Needs (Debian 12): qemu-system-x86 busybox-static kmod xz-utils; can-utils and iproute2 inside.
# Cache: $CEA_VM_CACHE (default ~/.cache/cea-vcan-vm).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${CEA_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cea-vcan-vm}
timeout_s=180 shared=$PWD mem=1024

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }
say() { echo "[vcan-vm] $*" >&2; }

[ "${1:-}" = --help ] && usage 0
while getopts "t:w:m:h" opt; do
    case $opt in
        t) timeout_s=$OPTARG ;; w) shared=$OPTARG ;; m) mem=$OPTARG ;;
        h) usage 0 ;; *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage

for tool in qemu-system-x86_64 modprobe xz; do
    command -v "$tool" >/dev/null || { say "$tool is missing: run 'make deps'"; exit 125; }
done
[ -x /bin/busybox ] || { say "/bin/busybox is missing: apt-get install busybox-static"; exit 125; }

# The kernel: Debian's linux-image-amd64, unpacked into the cache. Under emulation the guest
# would spend seconds decompressing a bzImage, so the ELF vmlinux is extracted once here.
fetch_kernel() {
    local pkg deb offset
    kdir=$cache/kernel
    if ! ls "$kdir"/boot/vmlinuz-* >/dev/null 2>&1; then
        pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
        [ -n "$pkg" ] || { say "apt cannot resolve linux-image-amd64 (run apt-get update)"; exit 125; }
        say "downloading $pkg (once)"
        mkdir -p "$cache/download"
        (cd "$cache/download" && apt-get download "$pkg" >/dev/null 2>&1) \
            || { say "apt-get download $pkg failed"; exit 125; }
        deb=$(ls "$cache"/download/"$pkg"_*.deb | head -n 1)
        rm -rf "$kdir.part" && dpkg -x "$deb" "$kdir.part" && mv "$kdir.part" "$kdir"
        rm -rf "$cache/download"
    fi
    kimage=$(ls "$kdir"/boot/vmlinuz-* | head -n 1)
    kversion=${kimage##*/vmlinuz-}
    [ -f "$kdir/lib/modules/$kversion/modules.dep" ] || depmod -b "$kdir" "$kversion"
    if [ ! -s "$kdir/vmlinux" ]; then
        offset=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kimage" | head -n 1 | cut -d: -f1)
        if [ -n "$offset" ] && { tail -c +$((offset + 1)) "$kimage" || true; } \
                | xz -dc --single-stream > "$kdir/vmlinux.part" 2>/dev/null \
                && [ "$(head -c 4 "$kdir/vmlinux.part" | od -An -c | tr -d ' ')" = 177ELF ]; then
            mv "$kdir/vmlinux.part" "$kdir/vmlinux"
        else
            rm -f "$kdir/vmlinux.part"
        fi
    fi
    [ -s "$kdir/vmlinux" ] && kimage=$kdir/vmlinux
    return 0
}

# The initramfs: static busybox, the modules below with their dependencies, our /init.
build_initramfs() {
    local stage module kw path rel
    initrd=$cache/initramfs-$kversion.cpio
    [ -f "$initrd" ] && [ "$initrd" -nt "$here/guest-init.sh" ] && return 0
    stage=$(mktemp -d "$cache/initramfs.XXXXXX")
    mkdir -p "$stage"/{bin,proc,sys,dev,newroot,lib/modules}
    cp /bin/busybox "$stage/bin/busybox"
    install -m 755 "$here/guest-init.sh" "$stage/init"
    : > "$stage/lib/modules/order"
    for module in virtio_pci 9pnet_virtio 9p overlay can can_raw vcan can_bcm can_gw; do
        modprobe -d "$kdir" -S "$kversion" --show-depends "$module" | while read -r kw path _; do
            [ "$kw" = insmod ] || continue
            rel=${path#"$kdir/lib/modules/$kversion/"}
            grep -qxF "$rel" "$stage/lib/modules/order" && continue
            mkdir -p "$stage/lib/modules/$(dirname "$rel")"
            cp "$path" "$stage/lib/modules/$rel"
            echo "$rel" >> "$stage/lib/modules/order"
        done
    done
    (cd "$stage" && find . | busybox cpio -o -H newc 2>/dev/null) > "$initrd.part"
    mv "$initrd.part" "$initrd"
    rm -rf "$stage"
}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
fetch_kernel
build_initramfs
flock -u 9

control=$(mktemp -d "${TMPDIR:-/tmp}/cea-vcan-vm.XXXXXX")
qemu_pid=
cleanup() { [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null; rm -rf "$control"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

{
    for v in PATH LANG LC_ALL TZ JAVA_HOME; do
        [ -n "${!v+x}" ] && printf 'export %s=%q\n' "$v" "${!v}"
    done
    echo "export HOME=/root USER=root LOGNAME=root"
    printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
    printf '%s\n' "$1"
} > "$control/command.sh"
shares=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
        -virtfs "local,path=$control,mount_tag=control,security_model=none,multidevs=remap")
if [ "$shared" != none ]; then
    shared=$(cd "$shared" && pwd -P)
    [ "$shared" != / ] || { say "refusing to share / read-write"; exit 2; }
    printf '%s\n' "$shared" > "$control/shared"
    shares+=(-virtfs "local,path=$shared,mount_tag=shared,security_model=none,multidevs=remap")
fi

# No hardware virtualisation on these machines (a /dev/kvm may be a PVM one that only runs
# PVM-enabled kernels): KVM only when kvm_intel or kvm_amd is loaded, else multi-threaded TCG.
if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; } \
        && [ ! -d /sys/module/kvm_pvm ]; then
    accel=(-enable-kvm -cpu host)
else
    accel=(-accel tcg,thread=multi,tb-size=256 -cpu max)
fi
cpus=$(nproc); [ "$cpus" -gt 4 ] && cpus=4
cmdline="console=ttyS0 panic=-1 rdinit=/init quiet loglevel=1 mitigations=off tsc=reliable no_timer_check i8042.noaux i8042.nokbd"

started=$(date +%s)
set +e
# stdin from /dev/null: qemu must not put the terminal in raw mode (Ctrl-C must reach us).
timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 "${accel[@]}" -nographic \
    -M pc -bios /usr/share/qemu/qboot.rom -nodefaults -no-user-config -serial stdio -no-reboot \
    -m "$mem" -smp "$cpus" -kernel "$kimage" -initrd "$initrd" -append "$cmdline" \
    "${shares[@]}" < /dev/null &
qemu_pid=$!
wait "$qemu_pid"
qemu_rc=$?
qemu_pid=
set -e
if [ -f "$control/status" ]; then
    rc=$(cat "$control/status")
else
    rc=125
    [ "$qemu_rc" = 124 ] && rc=124
    say "the VM gave no exit status (qemu exit $qemu_rc; timeout ${timeout_s}s?)"
fi
say "exit=$rc after $(( $(date +%s) - started )) s"
exit "$rc"
