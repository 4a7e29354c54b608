package org.cea.tools.scanner;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.cea.candecode.CanFrame;

/**
 * A CAN_RAW socket through JNA (Linux only). Reads {@code struct can_frame} (16 bytes: id with
 * EFF/RTR/ERR flags, length, data at offset 8) with {@code recvmsg}, taking the kernel receive
 * timestamp from {@code SCM_TIMESTAMPNS} (or {@code SCM_TIMESTAMP}) when the kernel gives one and
 * the wall clock otherwise. {@code SO_RCVTIMEO} bounds every read so shutdown never hangs.
 * Layouts follow the Linux ABI for the platform's pointer size (LP64 and ILP32).
 */
final class SocketCanSource implements FrameSource {
    static final int PF_CAN = 29;
    static final int SOCK_RAW = 3;
    static final int CAN_RAW = 1;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SO_TIMESTAMP = 29;
    static final int SO_TIMESTAMPNS = 35;
    static final long SIOCGIFINDEX = 0x8933;
    static final long SIOCGIFFLAGS = 0x8913;
    static final int IFF_UP = 0x1;
    static final int CAN_EFF_FLAG = 0x80000000;
    static final int CAN_RTR_FLAG = 0x40000000;
    static final int CAN_ERR_FLAG = 0x20000000;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int EAFNOSUPPORT = 97;
    static final int ENODEV = 19;
    static final int ENETDOWN = 100;
    private static final int FRAME_SIZE = 16;
    private static final int CONTROL_SIZE = 128;

    /** The few libc calls needed. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int len);

        int ioctl(int fd, NativeLong request, Pointer arg);

        int setsockopt(int fd, int level, int name, Pointer value, int len);

        NativeLong recvmsg(int fd, Pointer msg, int flags);

        int close(int fd);

        String strerror(int errnum);
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    private final String iface;
    private final int fd;
    private final LongSupplier wallMicros;
    private final int timestampType;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int ptr = Native.POINTER_SIZE;
    private final int sizeT = Native.SIZE_T_SIZE;
    private final int longSize = NativeLong.SIZE;
    private final Memory msg;
    private final Memory iov;
    private final Memory frame = new Memory(FRAME_SIZE);
    private final Memory control = new Memory(CONTROL_SIZE);
    private long errors;
    private long kernelStamped;

    private SocketCanSource(String iface, int fd, int timestampType, LongSupplier wallMicros) {
        this.iface = iface;
        this.fd = fd;
        this.timestampType = timestampType;
        this.wallMicros = wallMicros;
        this.iov = new Memory(2L * ptr);
        iov.setPointer(0, frame);
        setSizeT(iov, ptr, FRAME_SIZE);
        this.msg = new Memory(7L * ptr);
        msg.clear();
    }

    /**
     * Opens a CAN_RAW socket bound to {@code iface}.
     *
     * @param receiveTimeoutMs upper bound of one read, milliseconds &gt; 0
     * @throws SocketCanException with a one-line message saying what to do
     */
    static SocketCanSource open(String iface, int receiveTimeoutMs, LongSupplier wallMicros) {
        if (iface.isEmpty() || iface.length() > 15) {
            throw new SocketCanException("socketcan: interface name must be 1..15 characters, was '" + iface + "'");
        }
        LibC c;
        try {
            c = Holder.C;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new SocketCanException("socketcan:" + iface + ": cannot load libc through JNA (" + e.getMessage()
                    + "); SocketCAN needs Linux");
        }
        int fd = c.socket(PF_CAN, SOCK_RAW, CAN_RAW);
        if (fd < 0) {
            int errno = Native.getLastError();
            String hint = errno == EAFNOSUPPORT
                    ? "this kernel has no SocketCAN (load the can and can_raw modules, or use --source candump:FILE or sim)"
                    : "check permissions and the can_raw module";
            throw new SocketCanException("socketcan:" + iface + ": socket(AF_CAN, SOCK_RAW, CAN_RAW) failed: "
                    + c.strerror(errno) + " (errno " + errno + "); " + hint);
        }
        try {
            int index = interfaceIndex(c, fd, iface);
            bind(c, fd, iface, index);
            setReceiveTimeout(c, fd, receiveTimeoutMs);
            int tsType = enableTimestamps(c, fd);
            return new SocketCanSource(iface, fd, tsType, wallMicros);
        } catch (SocketCanException e) {
            c.close(fd);
            throw e;
        }
    }

    private static int interfaceIndex(LibC c, int fd, String iface) {
        Memory ifr = new Memory(40);
        ifr.clear();
        ifr.setString(0, iface, "US-ASCII");
        if (c.ioctl(fd, new NativeLong(SIOCGIFINDEX), ifr) < 0) {
            int errno = Native.getLastError();
            throw new SocketCanException("socketcan:" + iface + ": no such CAN interface (" + c.strerror(errno)
                    + "); list interfaces with 'ip link show type can' (or vcan)");
        }
        int index = ifr.getInt(16);
        ifr.clear();
        ifr.setString(0, iface, "US-ASCII");
        if (c.ioctl(fd, new NativeLong(SIOCGIFFLAGS), ifr) == 0 && (ifr.getShort(16) & IFF_UP) == 0) {
            throw new SocketCanException("socketcan:" + iface + ": interface is down; bring it up with"
                    + " 'ip link set " + iface + " up type can bitrate 500000'");
        }
        return index;
    }

    private static void bind(LibC c, int fd, String iface, int index) {
        Memory addr = new Memory(24);
        addr.clear();
        addr.setShort(0, (short) PF_CAN);
        addr.setInt(4, index);
        if (c.bind(fd, addr, 24) < 0) {
            int errno = Native.getLastError();
            throw new SocketCanException("socketcan:" + iface + ": bind failed: " + c.strerror(errno) + " (errno "
                    + errno + ")");
        }
    }

    private static void setReceiveTimeout(LibC c, int fd, int timeoutMs) {
        Memory tv = new Memory(2L * NativeLong.SIZE);
        setLong(tv, 0, timeoutMs / 1000);
        setLong(tv, NativeLong.SIZE, (timeoutMs % 1000) * 1000L);
        if (c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, (int) tv.size()) < 0) {
            int errno = Native.getLastError();
            throw new SocketCanException("socketcan: setsockopt(SO_RCVTIMEO) failed: " + c.strerror(errno));
        }
    }

    /** Returns the SCM type the kernel will send, or 0 when neither option is accepted. */
    private static int enableTimestamps(LibC c, int fd) {
        Memory one = new Memory(4);
        one.setInt(0, 1);
        if (c.setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, one, 4) == 0) {
            return SO_TIMESTAMPNS;
        }
        if (c.setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, one, 4) == 0) {
            return SO_TIMESTAMP;
        }
        return 0;
    }

    @Override
    public CanFrame next(long timeoutMs) {
        if (closed.get()) {
            return null;
        }
        msg.clear();
        msg.setPointer(2L * ptr, iov);
        setSizeT(msg, 3L * ptr, 1);
        msg.setPointer(4L * ptr, control);
        setSizeT(msg, 5L * ptr, CONTROL_SIZE);
        long n = Holder.C.recvmsg(fd, msg, 0).longValue();
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == EAGAIN || errno == EINTR) {
                return null;
            }
            errors++;
            if (errno == ENETDOWN) {
                throw new SocketCanException("socketcan:" + iface + ": interface went down");
            }
            throw new SocketCanException("socketcan:" + iface + ": recvmsg failed: " + Holder.C.strerror(errno));
        }
        if (n < FRAME_SIZE) {
            errors++;
            return null;
        }
        return toFrame(kernelTimestampMicros());
    }

    private CanFrame toFrame(long tsMicros) {
        int rawId = frame.getInt(0);
        int len = Math.min(frame.getByte(4) & 0xFF, 8);
        boolean eff = (rawId & CAN_EFF_FLAG) != 0;
        boolean rtr = (rawId & CAN_RTR_FLAG) != 0;
        boolean err = (rawId & CAN_ERR_FLAG) != 0;
        int id = rawId & (eff || err ? 0x1FFFFFFF : 0x7FF);
        byte[] data = rtr ? new byte[0] : frame.getByteArray(8, len);
        return new CanFrame(id, eff, rtr, err, false, 0, len, data, tsMicros);
    }

    /** Walks the control messages for the kernel timestamp; the wall clock when there is none. */
    private long kernelTimestampMicros() {
        long controlLen = getSizeT(msg, 5L * ptr);
        long hdr = align(sizeT + 8L);
        long off = 0;
        while (timestampType != 0 && off + hdr <= controlLen) {
            long cmsgLen = getSizeT(control, off);
            int level = control.getInt(off + sizeT);
            int type = control.getInt(off + sizeT + 4);
            if (cmsgLen < hdr) {
                break;
            }
            if (level == SOL_SOCKET && (type == SO_TIMESTAMPNS || type == SO_TIMESTAMP)) {
                long sec = getLong(control, off + hdr);
                long frac = getLong(control, off + hdr + longSize);
                kernelStamped++;
                return sec * 1_000_000L + (type == SO_TIMESTAMPNS ? frac / 1000 : frac);
            }
            off += align(cmsgLen);
        }
        return wallMicros.getAsLong();
    }

    private long align(long n) {
        return (n + sizeT - 1) & -(long) sizeT;
    }

    private void setSizeT(Pointer p, long off, long v) {
        if (sizeT == 8) {
            p.setLong(off, v);
        } else {
            p.setInt(off, (int) v);
        }
    }

    private long getSizeT(Pointer p, long off) {
        return sizeT == 8 ? p.getLong(off) : p.getInt(off) & 0xFFFFFFFFL;
    }

    private static void setLong(Pointer p, long off, long v) {
        if (NativeLong.SIZE == 8) {
            p.setLong(off, v);
        } else {
            p.setInt(off, (int) v);
        }
    }

    private long getLong(Pointer p, long off) {
        return longSize == 8 ? p.getLong(off) : p.getInt(off);
    }

    /** Frames that carried a kernel timestamp. */
    long kernelStamped() {
        return kernelStamped;
    }

    @Override
    public boolean exhausted() {
        return closed.get();
    }

    @Override
    public long errors() {
        return errors;
    }

    @Override
    public String interfaceName() {
        return iface;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Holder.C.close(fd);
        }
    }
}
