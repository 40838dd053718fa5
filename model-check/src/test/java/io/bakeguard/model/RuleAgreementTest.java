package io.bakeguard.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.bakeguard.core.watermark.BucketKey;
import io.bakeguard.core.watermark.Decision;
import io.bakeguard.core.watermark.Floor;
import io.bakeguard.core.watermark.Reservation;
import io.bakeguard.core.watermark.Watermark;
import io.bakeguard.core.watermark.WatermarkKind;
import io.bakeguard.core.watermark.WatermarkRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java rule and the model's rule agree. Every combination of inputs in small ranges is run
 * through {@link WatermarkRule#apply} and {@link WatermarkRule#recordSignature}; inputs and Java
 * outputs are written as TLA+ tuples into RuleTableData.tla, and TLC evaluates the rule text of
 * docs/model/WatermarkRule.tla on each row (docs/model/RuleAgreement.tla). The comparison is done
 * by TLC, against the TLA+ text, not by a Java copy of the rule.
 */
class RuleAgreementTest {

    /** The two digests of the table and their one-letter names in the TLA+ rows. */
    private static final String[] DIGEST_HEX = {"aa".repeat(32), "bb".repeat(32)};

    private static final String[] DIGEST_TLA = {"a", "b"};

    private static final BucketKey BUCKET =
            new BucketKey("tz1VSUr8wwNhLAzempoch5d6hLRiTh8Cjcjb", "NetXdQprcVkpaWU", WatermarkKind.ATTESTATION);

    @TempDir
    Path work;

    @Test
    void javaRuleAndModelRuleGiveTheSameDecisionOnEveryInputOfTheTable() throws IOException {
        Table table = Table.build();
        assertThat(table.applyRows()).hasSize(17 * 7 * 2 * 5 * 3 * 2);
        assertThat(table.recordRows()).hasSize(17 * 3 * 2 * 2);

        Tlc.Result r = check(table);

        assertThat(r.output()).as(Tlc.tail(r.output())).contains(Tlc.NO_ERROR);
        assertThat(r.output())
                .contains("<<\"rule rows agreeing\", " + table.applyRows().size() + ", "
                        + table.recordRows().size() + ">>");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void tableCheckReportsTheRowWhereJavaAndModelDisagree() throws IOException {
        // A Java rule that granted a different digest at an equal (level, round) would yield this row;
        // the check must name it. This keeps the agreement test from passing vacuously.
        Table table = Table.build();
        int victim = table.firstRow("<<TRUE, 1, 0, \"a\", FALSE, FALSE, 0, FALSE, 0, TRUE, 1, 0, \"b\"");
        String wrong = table.applyRows()
                .get(victim)
                .replaceFirst(", \"refused\", \"DIFFERENT_DATA\", FALSE, ", ", \"repeat\", \"NONE\", TRUE, ")
                .replaceFirst("FALSE, 0, 0, \"none\", FALSE>>$", "TRUE, 1, 0, \"a\", FALSE>>");
        assertThat(wrong).isNotEqualTo(table.applyRows().get(victim));
        table.applyRows().set(victim, wrong);

        Tlc.Result r = check(table);

        assertThat(r.output())
                .as(Tlc.tail(r.output()))
                .contains("The first argument of Assert evaluated to FALSE")
                .containsPattern("\"apply row\",\\s+" + (victim + 1) + ",");
        assertThat(r.output()).doesNotContain(Tlc.NO_ERROR);
        assertThat(r.exitCode()).isNotZero();
    }

    private Tlc.Result check(Table table) throws IOException {
        Tlc.copyModel(work);
        Files.writeString(work.resolve("RuleTableData.tla"), table.module(), StandardCharsets.UTF_8);
        return Tlc.run(work, "RuleAgreement.tla", "RuleAgreement.cfg", 1, "1g");
    }

    /** The rows of the two tables, as TLA+ tuple literals in the layout RuleAgreement.tla reads. */
    private record Table(List<String> applyRows, List<String> recordRows) {

        static Table build() {
            List<String> apply = new ArrayList<>();
            List<String> record = new ArrayList<>();
            for (Optional<Watermark> cur : marks()) {
                for (Optional<Floor> floor : floors()) {
                    for (boolean firstUse : new boolean[] {false, true}) {
                        for (int level = 0; level <= 4; level++) {
                            for (int round = 0; round <= 2; round++) {
                                for (int d = 0; d < 2; d++) {
                                    Reservation res = new Reservation(BUCKET, level, round, DIGEST_HEX[d]);
                                    Decision dec = WatermarkRule.apply(cur, floor, firstUse, res);
                                    apply.add("<<" + mark(cur) + ", " + floor(floor) + ", " + tla(firstUse) + ", "
                                            + level + ", " + round + ", " + tlaDigest(DIGEST_HEX[d]) + ", "
                                            + decision(dec) + ">>");
                                }
                            }
                        }
                    }
                }
                for (int level = 1; level <= 3; level++) {
                    for (int round = 0; round <= 1; round++) {
                        for (int d = 0; d < 2; d++) {
                            Optional<Watermark> out = WatermarkRule.recordSignature(
                                            cur, level, round, DIGEST_HEX[d], "edsigRecorded")
                                    .or(() -> cur);
                            record.add("<<" + mark(cur) + ", " + level + ", " + round + ", " + tlaDigest(DIGEST_HEX[d])
                                    + ", " + mark(out) + ">>");
                        }
                    }
                }
            }
            return new Table(apply, record);
        }

        int firstRow(String prefix) {
            for (int i = 0; i < applyRows.size(); i++) {
                if (applyRows.get(i).startsWith(prefix)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("no row starts with " + prefix);
        }

        String module() {
            return "---- MODULE RuleTableData ----\n"
                    + "\\* Generated by io.bakeguard.model.RuleAgreementTest from the Java rule.\n"
                    + "ApplyRows == <<\n"
                    + String.join(",\n", applyRows)
                    + "\n>>\n"
                    + "RecordRows == <<\n"
                    + String.join(",\n", recordRows)
                    + "\n>>\n"
                    + "====\n";
        }

        /** No mark, or levels 1..2 x rounds 0..1 x two digests x signature stored or not. */
        private static List<Optional<Watermark>> marks() {
            List<Optional<Watermark>> out = new ArrayList<>();
            out.add(Optional.empty());
            for (int level = 1; level <= 2; level++) {
                for (int round = 0; round <= 1; round++) {
                    for (String digest : DIGEST_HEX) {
                        Watermark m = Watermark.unsigned(level, round, digest);
                        out.add(Optional.of(m));
                        out.add(Optional.of(m.withSignature("edsigStored")));
                    }
                }
            }
            return out;
        }

        /** No floor, or levels 1..2 with the whole level or rounds 0..1. */
        private static List<Optional<Floor>> floors() {
            List<Optional<Floor>> out = new ArrayList<>();
            out.add(Optional.empty());
            for (int level = 1; level <= 2; level++) {
                out.add(Optional.of(new Floor(level, Optional.empty())));
                for (int round = 0; round <= 1; round++) {
                    out.add(Optional.of(new Floor(level, Optional.of(round))));
                }
            }
            return out;
        }

        private static String mark(Optional<Watermark> m) {
            if (m.isEmpty()) {
                return "FALSE, 0, 0, \"none\", FALSE";
            }
            Watermark w = m.get();
            return "TRUE, " + w.level() + ", " + w.round() + ", " + tlaDigest(w.digestHex()) + ", "
                    + tla(w.signature().isPresent());
        }

        private static String floor(Optional<Floor> f) {
            if (f.isEmpty()) {
                return "FALSE, 0, FALSE, 0";
            }
            Floor x = f.get();
            return "TRUE, " + x.level() + ", " + tla(x.round().isPresent()) + ", "
                    + x.round().orElse(0);
        }

        private static String decision(Decision d) {
            String head;
            Optional<Watermark> mark;
            if (d instanceof Decision.Granted g) {
                head = "\"granted\", \"NONE\"";
                mark = Optional.of(g.mark());
            } else if (d instanceof Decision.Repeat rep) {
                head = "\"repeat\", \"NONE\"";
                mark = Optional.of(rep.mark());
            } else if (d instanceof Decision.Refused ref) {
                head = "\"refused\", \"" + ref.reason().name() + "\"";
                mark = Optional.empty();
            } else {
                throw new IllegalStateException("unknown decision " + d);
            }
            return head + ", " + tla(d.allowsSigning()) + ", " + mark(mark);
        }

        private static String tla(boolean b) {
            return b ? "TRUE" : "FALSE";
        }

        private static String tlaDigest(String hex) {
            for (int i = 0; i < DIGEST_HEX.length; i++) {
                if (DIGEST_HEX[i].equals(hex)) {
                    return "\"" + DIGEST_TLA[i] + "\"";
                }
            }
            throw new IllegalArgumentException("digest outside the table: " + hex);
        }
    }
}
