package org.auditlog.itests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** What follows the CSV in every export file. */
final class Zips {
    /** The entries of every file after its CSV, in order (docs/evidence.md). */
    static final List<String> EVIDENCE = List.of("rows.bin", "manifest.json", "manifest.sig", "checkpoint.txt");

    private Zips() {}

    /** The names of a zip's remaining entries. */
    static List<String> rest(ZipInputStream in) throws IOException {
        List<String> names = new ArrayList<>();
        for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            names.add(e.getName());
        }
        return names;
    }
}
