package org.cea.tools.migrate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cea.candecode.CanDecodeException;
import org.cea.candecode.CanFrame;
import org.cea.candecode.DecodeResult;
import org.cea.candecode.DecodedMessage;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.Hex;
import org.cea.candecode.facility.FacilityProcessor;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.candecode.facility.SensorReading;

/**
 * Sensor readings from migrated messages through the facility profile (lib-candecode), the same
 * decode, calibration, validation and derivation the live worker applies. The frame is rebuilt
 * from {@code can_id} (standard when it fits 11 bits: the legacy table has no extended flag),
 * {@code raw_data} and the message time. Invalid readings are counted, never written.
 */
public final class FacilityReadings implements ReadingDeriver {
    private final FrameDecoder decoder;
    private final FacilityProcessor processor;
    private long undecodable;

    private FacilityReadings(FacilityProfile profile) {
        this.decoder = FrameDecoder.forFacility(profile);
        this.processor = new FacilityProcessor(profile);
    }

    /**
     * Loads the profile.
     *
     * @param facilityJson facility.json
     * @param dbcFile      the DBC it refers to
     * @return a deriver for one run
     * @throws MigrationException naming the file and the problem
     */
    public static FacilityReadings load(Path facilityJson, Path dbcFile) {
        try {
            return new FacilityReadings(FacilityProfile.load(facilityJson, dbcFile));
        } catch (CanDecodeException e) {
            throw new MigrationException("facility profile " + facilityJson + " / " + dbcFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<ReadingRecord> readings(MessageRecord m) {
        CanFrame frame;
        try {
            byte[] data = Hex.parseSpaced(m.rawData());
            if (data.length > 8) {
                undecodable++;
                return List.of();
            }
            frame = CanFrame.data(m.canId(), m.canId() > CanFrame.MAX_STANDARD_ID, data, Math.max(0, m.timestampMicros()));
        } catch (IllegalArgumentException e) {
            undecodable++;
            return List.of();
        }
        DecodeResult r = decoder.decode(frame);
        if (!(r instanceof DecodedMessage dm)) {
            return List.of();
        }
        List<ReadingRecord> out = new ArrayList<>(4);
        for (SensorReading s : processor.process(dm)) {
            if (s.valid() && Double.isFinite(s.value())) {
                out.add(new ReadingRecord(m.timestampMicros(), s.sensor(), s.value()));
            }
        }
        return out;
    }

    /** Messages whose raw_data could not be turned into a frame. */
    public long undecodable() {
        return undecodable;
    }

    /** Readings the profile judged invalid (out of range, faulted). */
    public long invalidReadings() {
        return processor.invalidReadings();
    }
}
