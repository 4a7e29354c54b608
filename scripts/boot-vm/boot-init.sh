#!/bin/busybox sh
# PID 1 of the initramfs of the systemd boot test (run-boot.sh). Busybox only: loads the modules,
# mounts the host's root read-only over 9p as the lower layer and the guest disk (/dev/vda, ext4,
# kept between boots: the "SD card") as the upper layer of an overlay, adds the control share and
# the test's units, then hands over to the host's real systemd as PID 1.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
fail() { echo "[boot-vm] fatal: $*" > /dev/console; sleep 1; poweroff -f; }
while read -r module; do
    [ -n "$module" ] && insmod "/lib/modules/$module" 2>/dev/null
done < /lib/modules/order
NINEP=trans=virtio,version=9p2000.L,msize=512000
mkdir -p /lower /disk /newroot
tries=0
until mount -t 9p -o ro,$NINEP,cache=loose hostroot /lower 2>/dev/null; do
    tries=$((tries + 1)); [ $tries -lt 50 ] || fail "the host root did not mount over 9p"; sleep 0.1
done
tries=0
until [ -b /dev/vda ]; do tries=$((tries + 1)); [ $tries -lt 50 ] || fail "no /dev/vda"; sleep 0.1; done
mount -t ext4 -o noatime /dev/vda /disk || fail "cannot mount /dev/vda (ext4)"
mkdir -p /disk/upper /disk/work
mount -t overlay -o lowerdir=/lower,upperdir=/disk/upper,workdir=/disk/work overlay /newroot \
    || fail "overlay mount failed"
R=/newroot
mkdir -p $R/mnt/cea-control
mount -t 9p -o $NINEP,cache=none control $R/mnt/cea-control || fail "the control share did not mount"
# the test's own units (the driver and vcan0), a persistent journal, no host leftovers
C=$R/mnt/cea-control
cp $C/cea-boottest.service $C/cea-test-vcan.service $R/etc/systemd/system/
mkdir -p $R/etc/systemd/system/multi-user.target.wants $R/var/log/journal
ln -sf /etc/systemd/system/cea-boottest.service $R/etc/systemd/system/multi-user.target.wants/cea-boottest.service
ln -sf /etc/systemd/system/cea-test-vcan.service $R/etc/systemd/system/multi-user.target.wants/cea-test-vcan.service
echo cea-pi > $R/etc/hostname
# /tmp and /var/tmp of the host are not the guest's (systemd-tmpfiles would empty them at boot, one
# whiteout per host file): fresh ones, in memory for /tmp as on a Pi with a volatile /tmp
mount -t tmpfs -o mode=1777 tmpfs $R/tmp
mkdir -p /disk/vartmp && chmod 1777 /disk/vartmp && mount --bind /disk/vartmp $R/var/tmp
# timers a Pi runs at night are not part of this test
for u in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer; do
    ln -sf /dev/null $R/etc/systemd/system/$u
done
umount /proc/sys/fs/binfmt_misc 2>/dev/null
mount --move /dev $R/dev 2>/dev/null || mount -t devtmpfs devtmpfs $R/dev
umount /sys /proc 2>/dev/null
exec switch_root $R /lib/systemd/systemd
