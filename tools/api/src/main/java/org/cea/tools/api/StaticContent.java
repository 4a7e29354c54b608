package org.cea.tools.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard files and uPlot from its WebJar, read from the classpath once at start-up and kept
 * in memory (about 70 kB). Only the listed paths are served, so no request can name another
 * classpath resource.
 */
final class StaticContent {
    private static final String WEB = "org/cea/tools/api/web/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    /**
     * One file.
     *
     * @param contentType MIME type with charset where text
     * @param body        the bytes
     * @param immutable   versioned content that may be cached for a long time
     */
    record File(String contentType, byte[] body, boolean immutable) {
    }

    private final Map<String, File> files = new HashMap<>();

    /**
     * Loads every file.
     *
     * @throws IllegalStateException when a file is missing from the jar (a build problem)
     */
    StaticContent() {
        ClassLoader cl = StaticContent.class.getClassLoader();
        add(cl, "/", WEB + "index.html", "text/html; charset=utf-8", false);
        add(cl, "/app.js", WEB + "app.js", "text/javascript; charset=utf-8", false);
        add(cl, "/app.css", WEB + "app.css", "text/css; charset=utf-8", false);
        add(cl, "/api/openapi.json", WEB + "openapi.json", "application/json; charset=utf-8", false);
        String dist = "META-INF/resources/webjars/uplot/" + uplotVersion(cl) + "/dist/";
        add(cl, "/webjars/uplot/uPlot.iife.min.js", dist + "uPlot.iife.min.js", "text/javascript; charset=utf-8", true);
        add(cl, "/webjars/uplot/uPlot.min.css", dist + "uPlot.min.css", "text/css; charset=utf-8", true);
        files.put("/index.html", files.get("/"));
    }

    /** The file served at {@code path}, or null. */
    File get(String path) {
        return files.get(path);
    }

    private void add(ClassLoader cl, String path, String resource, String type, boolean immutable) {
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " missing from the classpath (broken build?)");
            }
            files.put(path, new File(type, in.readAllBytes(), immutable));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }

    private static String uplotVersion(ClassLoader cl) {
        try (InputStream in = cl.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException(UPLOT_POM + " missing: the org.webjars.npm:uplot jar is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
        }
    }
}
