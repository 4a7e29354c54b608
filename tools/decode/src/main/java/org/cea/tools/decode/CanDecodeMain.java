package org.cea.tools.decode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import joptsimple.OptionException;
import joptsimple.OptionParser;
import joptsimple.OptionSet;
import joptsimple.OptionSpec;
import org.cea.candecode.CanDecodeException;
import org.cea.candecode.FrameDecoder;
import org.cea.candecode.dbc.Dbc;
import org.cea.candecode.dbc.DbcParser;
import org.cea.candecode.facility.FacilityProfile;
import org.cea.tools.common.ProfileDir;

/**
 * {@code can-decode [--dbc FILE] [--json] [LOGFILE]}: like {@code cantools decode}, reads candump
 * lines from a file or stdin and prints each with its decoded message. Without {@code --dbc} it uses
 * the facility profile ({@code etc/cea.dbc} + {@code etc/facility.json}, node-addressed ids).
 * A frame is decoded by the DBC message with its id and form (standard or extended) when there is
 * one, else by the message with the same numeric id, as cantools does: a standard id written in
 * extended form ({@code 00000123#}) decodes by the DBC's standard message 0x123.
 */
public final class CanDecodeMain {
    private static final int EXIT_USAGE = 2;

    private CanDecodeMain() {
    }

    /** Runs the tool and exits with its status (0 ok, 1 fatal error, 2 bad flags). */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs the tool on the given streams.
     *
     * @return 0 on success, 1 on a fatal error (bad DBC, unreadable file), 2 on bad flags
     */
    public static int run(String[] args, InputStream stdin, OutputStream stdout, PrintStream stderr) {
        OptionParser parser = new OptionParser();
        OptionSpec<String> dbcOpt = parser.accepts("dbc", "decode with this DBC (ids looked up as they are)")
                .withRequiredArg().describedAs("FILE");
        OptionSpec<String> etcOpt = parser.accepts("etc", "facility profile directory (cea.dbc + facility.json); "
                + "default $CEA_ETC or the checkout's etc/").withRequiredArg().describedAs("DIR");
        parser.accepts("json", "print one JSON object per line");
        parser.accepts("single-line", "print each decoded message on one line");
        parser.accepts("prune", "strip the common prefix of choice names");
        parser.acceptsAll(List.of("h", "help"), "show this help").forHelp();
        parser.accepts("debug", "log at DEBUG: a fatal error with its stack trace (bin/ wrappers; or CEA_DEBUG=1)");
        OptionSet opts;
        try {
            opts = parser.parse(args);
        } catch (OptionException e) {
            return usage(parser, stderr, e.getMessage());
        }
        if (opts.has("help")) {
            return help(parser, stdout);
        }
        List<?> files = opts.nonOptionArguments();
        if (files.size() > 1) {
            return usage(parser, stderr, "at most one log file, got " + files.size());
        }
        if (opts.has(dbcOpt) && opts.has(etcOpt)) {
            return usage(parser, stderr, "--dbc and --etc exclude each other");
        }
        LineDecoder.Options o = new LineDecoder.Options(opts.has("json"), opts.has("single-line"), opts.has("prune"));
        try {
            LineDecoder decoder = decoder(opts.valueOf(dbcOpt), opts.valueOf(etcOpt), o);
            String file = files.isEmpty() ? "-" : files.get(0).toString();
            decodeAll(file, stdin, stdout, decoder);
            return 0;
        } catch (CanDecodeException | IOException e) {
            stderr.println("can-decode: " + e.getMessage());
            return 1;
        }
    }

    private static LineDecoder decoder(String dbcFile, String etcDir, LineDecoder.Options o) {
        if (dbcFile != null) {
            Dbc dbc = DbcParser.parse(Path.of(dbcFile));
            return new LineDecoder(dbc, FrameDecoder.forDbc(dbc), false, o);
        }
        FacilityProfile profile = FacilityProfile.loadDefault(ProfileDir.locate(etcDir, System.getenv(), CanDecodeMain.class));
        return new LineDecoder(profile.dbc(), FrameDecoder.forFacility(profile), true, o);
    }

    private static void decodeAll(String file, InputStream stdin, OutputStream stdout, LineDecoder decoder)
            throws IOException {
        InputStream in = file.equals("-") ? stdin : open(Path.of(file));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            Writer w = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16);
            for (String line; (line = r.readLine()) != null; ) {
                w.write(decoder.decode(line));
                w.write('\n');
            }
            w.flush();
        }
    }

    /** Opens a log file; the message says what is wrong: no such file, a directory, not readable. */
    private static InputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a candump log (give a file, or - for stdin)");
        }
        if (!Files.exists(file)) {
            throw new IOException(file + ": no such file (check the path; - reads stdin)");
        }
        try {
            return Files.newInputStream(file);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(file + ": not readable (permission denied; check its mode and owner)", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot open (" + e.getMessage() + ")", e);
        }
    }

    /** {@code --help}: the usage on stdout, exit 0. */
    private static int help(OptionParser parser, OutputStream stdout) {
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        printHelp(parser, out);
        out.flush();
        return 0;
    }

    private static int usage(OptionParser parser, PrintStream err, String problem) {
        err.println("can-decode: " + problem);
        printHelp(parser, err);
        return EXIT_USAGE;
    }

    private static void printHelp(OptionParser parser, PrintStream err) {
        err.println("usage: can-decode [--dbc FILE | --etc DIR] [--json] [--single-line] [--prune] [LOGFILE|-]");
        err.println("Decodes candump lines (log -l, default or absolute-time format) from LOGFILE or stdin.");
        err.println("A frame is decoded by the DBC message with its id and form (standard/extended) when there is one,");
        err.println("else by the same numeric id, like cantools: 00000123#.. (extended form) decodes as standard 0x123.");
        try {
            parser.printHelpOn(err);
        } catch (IOException e) {
            err.println("(cannot print the option list: " + e.getMessage() + ")");
        }
    }
}
