package org.cea.tools.migrate;

import java.io.PrintStream;
import java.util.List;

/**
 * The verifier's findings.
 *
 * @param info     what was compared, one line each
 * @param problems every difference found, each naming where (ids, days, fields); empty when all match
 */
public record VerifyReport(List<String> info, List<String> problems) {

    /** Copies both lists. */
    public VerifyReport {
        info = List.copyOf(info);
        problems = List.copyOf(problems);
    }

    /** True when nothing differs. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** Prints the report: the info lines, then VERIFY OK or VERIFY FAILED with each problem. */
    public void print(PrintStream out) {
        for (String s : info) {
            out.println("verify: " + s);
        }
        if (ok()) {
            out.println("VERIFY OK: source and target match");
        } else {
            out.println("VERIFY FAILED: " + problems.size() + " difference(s)");
            for (String p : problems) {
                out.println("  - " + p);
            }
        }
    }
}
