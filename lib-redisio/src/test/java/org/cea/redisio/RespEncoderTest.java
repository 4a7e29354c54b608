package org.cea.redisio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.cea.candecode.CanFrame;
import org.junit.jupiter.api.Test;

/** The XADD bytes against RESP written out by hand from the protocol and the can:raw contract (DESIGN.md). */
class RespEncoderTest {
    private static String encoded(RespEncoder enc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        enc.writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String prefix(int args) {
        return "*" + args + "\r\n$4\r\nXADD\r\n$7\r\ncan:raw\r\n$6\r\nMAXLEN\r\n$1\r\n~\r\n$4\r\n1000\r\n";
    }

    @Test
    void aStandardFrameIsTheFiveContractFieldsAfterTheCappedPrefix() throws IOException {
        RespEncoder enc = new RespEncoder("can:raw".getBytes(StandardCharsets.US_ASCII), 1000);
        enc.xadd(new FrameEntry("1734001123123-0",
                CanFrame.standard(0x123, new byte[] {(byte) 0xAA, (byte) 0xFF, 4, 16}, 1_734_001_123_123_456L)));
        enc.xlen();
        assertEquals(prefix(16) + "$15\r\n1734001123123-0\r\n"
                + "$2\r\nid\r\n$5\r\n0x123\r\n"
                + "$4\r\ndata\r\n$11\r\nAA FF 04 10\r\n"
                + "$2\r\nts\r\n$13\r\n1734001123123\r\n"
                + "$3\r\ndlc\r\n$1\r\n4\r\n"
                + "$5\r\nts_us\r\n$16\r\n1734001123123456\r\n"
                + "*2\r\n$4\r\nXLEN\r\n$7\r\ncan:raw\r\n", encoded(enc));
    }

    @Test
    void generatedIdsExtendedIdsAndFlagsEncodeExactly() throws IOException {
        RespEncoder enc = new RespEncoder("can:raw".getBytes(StandardCharsets.US_ASCII), 1000);
        enc.xadd(new FrameEntry(1_734_001_123_123L, 7, CanFrame.remote(0x1ABCDE, true, 2, 999L)));
        enc.xadd(new FrameEntry(1_734_001_123_124L, 12, CanFrame.data(0x7FF, false, new byte[0], 1_000L)));
        assertEquals(prefix(18) + "$15\r\n1734001123123-7\r\n"
                + "$2\r\nid\r\n$10\r\n0x001ABCDE\r\n"
                + "$4\r\ndata\r\n$0\r\n\r\n"
                + "$2\r\nts\r\n$1\r\n0\r\n"
                + "$3\r\ndlc\r\n$1\r\n2\r\n"
                + "$5\r\nts_us\r\n$3\r\n999\r\n"
                + "$5\r\nflags\r\n$1\r\nR\r\n"
                + prefix(16) + "$16\r\n1734001123124-12\r\n"
                + "$2\r\nid\r\n$5\r\n0x7FF\r\n"
                + "$4\r\ndata\r\n$0\r\n\r\n"
                + "$2\r\nts\r\n$1\r\n1\r\n"
                + "$3\r\ndlc\r\n$1\r\n0\r\n"
                + "$5\r\nts_us\r\n$4\r\n1000\r\n", encoded(enc));
    }
}
