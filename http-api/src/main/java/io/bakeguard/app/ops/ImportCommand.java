package io.bakeguard.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Import high watermarks from octez-signer or Signatory files, so that the cluster never signs"
                + " at or below what they signed. Only ever upward.")
final class ImportCommand extends OpsCommand {
    /** Marks per request: keeps each Raft entry small. */
    static final int BATCH = 200;

    @Mixin
    AdminOptions admin;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(
                names = "--octez",
                paramLabel = "DIR",
                description = "octez-signer base dir holding <kind>_high_watermarks files (e.g. ~/.tezos-signer).")
        Path octez;

        @Option(
                names = "--signatory",
                paramLabel = "DIR",
                description = "Signatory base_dir holding watermark_v2/<chain_id>.json files.")
        Path signatory;
    }

    @Mixin
    ChangeOptions change;

    @Override
    int run() {
        List<ImportMark> marks;
        Path dir = source.octez != null ? source.octez : source.signatory;
        try {
            marks = source.octez != null ? OctezWatermarkFiles.read(dir) : SignatoryWatermarkFiles.read(dir);
        } catch (WatermarkFileException e) {
            throw OpsException.failure("cannot import: " + e.getMessage());
        }
        if (marks.isEmpty()) {
            out().println("no marks in " + dir + ": nothing to import");
            return 0;
        }
        out().println("read " + marks.size() + " marks from " + dir);
        AdminClient client = admin.client();
        TextTable plan = new TextTable("KEY", "CHAIN", "KIND", "LEVEL", "ROUND", "CURRENT", "CHANGE");
        int raising = 0;
        for (int from = 0; from < marks.size(); from += BATCH) {
            List<ImportMark> batch = marks.subList(from, Math.min(marks.size(), from + BATCH));
            JsonNode answer = client.post("/admin/watermarks/import", body(batch, true));
            for (JsonNode m : answer.path("marks")) {
                boolean up = m.path("would_raise").asBoolean(false);
                raising += up ? 1 : 0;
                plan.row(
                        m.path("key").asText(),
                        m.path("chain").asText(),
                        m.path("kind").asText(),
                        m.path("level").asLong(),
                        m.path("round").asLong(),
                        m.path("current").asText("none"),
                        up ? "raise" : "unchanged (already at or above)");
            }
        }
        out().print(plan.render());
        if (raising == 0) {
            out().println("nothing to import: every bucket is already at or above these marks");
            return 0;
        }
        out().println(raising + " of " + marks.size() + " buckets would move up");
        if (change.dryRun) {
            out().println("dry run: nothing changed");
            return 0;
        }
        Confirmation.ask(change.yes, "Import " + raising + " marks into the cluster?");
        int batches = (marks.size() + BATCH - 1) / BATCH;
        int sent = 0;
        for (int i = 0; i < batches; i++) {
            List<ImportMark> batch = marks.subList(i * BATCH, Math.min(marks.size(), (i + 1) * BATCH));
            try {
                client.post("/admin/watermarks/import", body(batch, false));
            } catch (AdminClient.Refused e) {
                // 409: no bucket of this batch moved (all already at or above): not a failure of the import.
                if (e.status() != 409) {
                    throw OpsException.failure("import stopped after " + sent + " of " + marks.size() + " marks: "
                            + e.getMessage() + "; it is safe to run the same import again");
                }
            }
            sent += batch.size();
            if (batches > 1) {
                err().println("imported " + sent + "/" + marks.size() + " marks (batch " + (i + 1) + "/" + batches
                        + ")");
                err().flush();
            }
        }
        out().println("imported: " + raising + " buckets raised from " + dir);
        return 0;
    }

    static ObjectNode body(List<ImportMark> marks, boolean dry) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        ArrayNode arr = b.putArray("marks");
        for (ImportMark m : marks) {
            ObjectNode n = arr.addObject();
            n.put("key", m.keyHash());
            n.put("chain", m.chainId());
            n.put("kind", m.kind().octezName());
            n.put("level", m.level());
            n.put("round", m.round());
            m.digestHex().ifPresent(h -> n.put("hash", h));
        }
        b.put("dry_run", dry);
        return b;
    }
}
