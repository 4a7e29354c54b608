#!/usr/bin/env bash
# make test-boot: boots real systemd (the host's systemd 252, PID 1) in a QEMU guest and checks the
# installed pipeline as it runs on the Pi. The guest's root is an overlay: the host's root filesystem
# read-only over 9p below, a guest disk image above (ext4; it survives the power cut, as an SD card
# would). vcan0 stands in for can0 and cangen for the nodes.
#   boot 1 (fresh disk): make install, cea-db-setup, cea.env, the units started in order, kill -9 of
#     scanner/worker/api with exact frame counts, OnFailure= experiments, a unit failing for good and
#     its failure handler, traffic, then the power cut (qemu killed, no shutdown).
#   boot 2 (same disk, cold): every unit back by itself, the start order, the frames counted.
# The checks run in the guest (scripts/boot-vm/guest-test.sh); the report and the guest's journals
# land in target/boot-test/. No KVM here: software emulation, about 10 minutes in all.
#
# Usage: scripts/boot-vm/run-boot.sh [-m MB] [-t SECONDS]
#   -m  guest memory (default 2048)   -t  limit per boot (default 2400)
# Needs: a built tree (make build), qemu-system-x86 busybox-static kmod xz-utils e2fsprogs can-utils,
# postgresql and redis-server installed on the host (the guest runs the host's packages).
# Exit status: 0 every check passed, 1 a check failed, 124 a boot timed out, 125 set-up problem.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${CEA_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cea-vcan-vm}
mem=2048 limit=2400
say() { echo "[boot-vm] $*" >&2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }
[ "${1:-}" = --help ] && usage 0
while getopts "m:t:h" opt; do
  case $opt in m) mem=$OPTARG ;; t) limit=$OPTARG ;; h) usage 0 ;; *) usage ;; esac
done
shift $((OPTIND - 1)); [ $# -eq 0 ] || usage
for tool in qemu-system-x86_64 modprobe mkfs.ext4 cangen; do
  command -v "$tool" >/dev/null || { say "$tool is missing: run 'make deps'"; exit 125; }
done
[ -x /lib/systemd/systemd ] || { say "/lib/systemd/systemd is missing"; exit 125; }
ls "$root"/tools/scanner/target/can-scanner.jar >/dev/null 2>&1 || { say "not built: run 'make build'"; exit 125; }

# the kernel: the one scripts/vcan-vm/run-in-vm.sh downloads (booting it once fetches it)
if ! ls "$cache"/kernel/boot/vmlinuz-* >/dev/null 2>&1; then
  "$root/scripts/vcan-vm/run-in-vm.sh" -w none -t 120 true || { say "cannot prepare the kernel"; exit 125; }
fi
kdir=$cache/kernel
kimage=$(ls "$kdir"/boot/vmlinuz-* | head -n 1); kversion=${kimage##*/vmlinuz-}
[ -s "$kdir/vmlinux" ] && kimage=$kdir/vmlinux
initrd=$cache/initramfs-boot-$kversion.cpio
if [ ! -f "$initrd" ] || [ "$here/boot-init.sh" -nt "$initrd" ]; then
  stage=$(mktemp -d "$cache/initramfs.XXXXXX")
  mkdir -p "$stage"/{bin,proc,sys,dev,lib/modules}
  cp /bin/busybox "$stage/bin/busybox"
  install -m 755 "$here/boot-init.sh" "$stage/init"
  : > "$stage/lib/modules/order"
  for module in virtio_pci virtio_blk ext4 9pnet_virtio 9p overlay can can_raw vcan; do
    modprobe -d "$kdir" -S "$kversion" --show-depends "$module" | while read -r kw path _; do
      [ "$kw" = insmod ] || continue
      rel=${path#"$kdir/lib/modules/$kversion/"}
      grep -qxF "$rel" "$stage/lib/modules/order" && continue
      mkdir -p "$stage/lib/modules/$(dirname "$rel")"; cp "$path" "$stage/lib/modules/$rel"
      echo "$rel" >> "$stage/lib/modules/order"
    done
  done
  (cd "$stage" && find . | busybox cpio -o -H newc 2>/dev/null) > "$initrd.part" && mv "$initrd.part" "$initrd"
  rm -rf "$stage"
fi

out=$root/target/boot-test
rm -rf "$out"; mkdir -p "$out"
control=$(mktemp -d "${TMPDIR:-/tmp}/cea-boot-vm.XXXXXX")
disk=$control/disk.img
qemu_pid=
cleanup() { [ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2>/dev/null; cp -f "$control"/*.txt "$control"/*.log "$out/" 2>/dev/null; rm -rf "$control"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
cp "$here/guest-test.sh" "$here/cea-boottest.service" "$here/cea-test-vcan.service" "$control/"
echo "$root" > "$control/root"
truncate -s 4G "$disk"
mkfs.ext4 -q -F -L cea-sd "$disk"

if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; } && [ ! -d /sys/module/kvm_pvm ]; then
  accel=(-enable-kvm -cpu host)
else
  accel=(-accel tcg,thread=multi,tb-size=256 -cpu max)
fi
cpus=$(nproc); [ "$cpus" -gt 4 ] && cpus=4
cmdline="console=ttyS0 panic=-1 rdinit=/init quiet loglevel=1 mitigations=off tsc=reliable no_timer_check"
cmdline+=" systemd.show_status=0 systemd.log_color=0 i8042.noaux i8042.nokbd"

boot() { # boot PHASE: runs the guest until it powers off (status-PHASE) or, in "first", asks for the cut
  local phase=$1 started rc=0
  echo "$phase" > "$control/phase"
  started=$(date +%s)
  say "boot $phase"
  qemu-system-x86_64 "${accel[@]}" -nographic -M pc -bios /usr/share/qemu/qboot.rom -nodefaults \
    -no-user-config -serial "file:$control/console-$phase.log" -no-reboot -m "$mem" -smp "$cpus" \
    -kernel "$kimage" -initrd "$initrd" -append "$cmdline" \
    -drive "file=$disk,if=virtio,format=raw,cache=writeback" \
    -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
    -virtfs "local,path=$control,mount_tag=control,security_model=none,multidevs=remap" < /dev/null &
  qemu_pid=$!
  while kill -0 "$qemu_pid" 2>/dev/null; do
    if [ "$phase" = first ] && [ -f "$control/cut" ]; then
      kill -9 "$qemu_pid"; wait "$qemu_pid" 2>/dev/null || true
      say "power cut: qemu killed (kill -9) $(( $(date +%s) - started )) s after boot"
      break
    fi
    if [ $(( $(date +%s) - started )) -gt "$limit" ]; then
      kill -9 "$qemu_pid"; wait "$qemu_pid" 2>/dev/null || true
      say "boot $phase: no result after ${limit}s"; rc=124; break
    fi
    sleep 0.2
  done
  wait "$qemu_pid" 2>/dev/null || true
  qemu_pid=
  say "boot $phase: $(( $(date +%s) - started )) s"
  return $rc
}

t0=$(date +%s)
rc=0
boot first || rc=$?
if [ $rc = 0 ] && [ -f "$control/cut" ]; then
  boot cold || rc=$?
fi
cat "$control/report.txt" 2>/dev/null | tee "$out/report.txt" >&2 || true
for p in first cold; do
  s=$(cat "$control/status-$p" 2>/dev/null || echo missing)
  say "phase $p: $s failure(s)"
  [ "$s" = 0 ] || { [ $rc = 0 ] && rc=1; }
done
say "make test-boot: exit $rc after $(( $(date +%s) - t0 )) s; report in ${out#"$root/"}/report.txt"
exit $rc
