#!/bin/busybox sh
# PID 1 of the throw-away SocketCAN VM (see run-in-vm.sh). Busybox only until the chroot.
# It loads the CAN and 9p modules, mounts the host's root read-only with fresh tmpfs where programs
# write (/tmp, /run, ...), mounts the one writable share at its host path, creates vcan0, runs the
# command and leaves its exit status in the control share, then powers the VM off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
    echo "[vcan-vm] fatal: $*" > /dev/console
    poweroff -f
}

while read -r module; do
    [ -n "$module" ] && insmod "/lib/modules/$module" 2>/dev/null
done < /lib/modules/order

NINEP=trans=virtio,version=9p2000.L,msize=512000
R=/newroot
mkdir -p $R
tries=0
until mount -t 9p -o ro,$NINEP,cache=loose hostroot $R 2>/dev/null; do
    tries=$((tries + 1))
    [ $tries -lt 50 ] || fail "the host root filesystem did not mount over 9p"
    sleep 0.1
done
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm 2>/dev/null
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
for d in /dev/shm /tmp /var/tmp; do mount -t tmpfs -o mode=1777 tmpfs $R$d; done
mount -t tmpfs -o mode=755 tmpfs $R/run
# $HOME keeps the host's content (~/.m2, the JDK's caches) but writes go to a throw-away layer.
mkdir -p /layer && mount -t tmpfs tmpfs /layer && mkdir -p /layer/up /layer/work
mount -t overlay -o lowerdir=$R/root,upperdir=/layer/up,workdir=/layer/work overlay $R/root \
    || mount -t tmpfs -o mode=700 tmpfs $R/root

mkdir -p $R/run/vm
mount -t 9p -o $NINEP,cache=none control $R/run/vm || fail "the control share did not mount"
SHARED=$(cat $R/run/vm/shared 2>/dev/null)
if [ -n "$SHARED" ]; then
    mkdir -p "$R$SHARED" 2>/dev/null
    mount -t 9p -o $NINEP,cache=none shared "$R$SHARED" || fail "cannot mount $SHARED"
fi

ip link set lo up
IP=ip
[ -x $R/sbin/ip ] && IP="chroot $R /sbin/ip"
$IP link add dev vcan0 type vcan && $IP link set up vcan0 || echo "[vcan-vm] vcan0 not created" > /dev/console
hostname vcan-vm

stty -F /dev/console -onlcr 2>/dev/null
chroot $R /bin/bash /run/vm/command.sh < /dev/null > /dev/console 2>&1
echo $? > $R/run/vm/status
sync
[ -n "$SHARED" ] && umount "$R$SHARED" 2>/dev/null
umount $R/run/vm 2>/dev/null
poweroff -f
