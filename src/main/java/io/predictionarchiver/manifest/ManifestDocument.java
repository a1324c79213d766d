package io.predictionarchiver.manifest;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.transfer.TransferredFile;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the schema_version 1 manifest tree. Built node by node rather than from annotated records so that
 * field order and explicit nulls follow the contract whatever the mapper's configuration.
 */
final class ManifestDocument {

    static final int SCHEMA_VERSION = 1;

    private ManifestDocument() {
    }

    static ObjectNode build(JsonMapper mapper, Prediction prediction, ArchiveState state, Instant archivedAt,
            String archiverVersion, List<TransferredFile> files) {
        ObjectNode manifest = mapper.createObjectNode();
        manifest.put("schema_version", SCHEMA_VERSION);
        manifest.set("prediction", prediction.body());
        ObjectNode archive = manifest.putObject("archive");
        archive.put("state", state.json());
        archive.put("record", prediction.origin().json());
        archive.put("archived_at", DateTimeFormatter.ISO_INSTANT.format(archivedAt));
        archive.put("archiver_version", archiverVersion);
        ArrayNode entries = archive.putArray("files");
        for (TransferredFile file : files) {
            ObjectNode entry = entries.addObject();
            entry.put("pointer", file.pointer());
            entry.put("role", file.role().json());
            entry.put("source_url", file.sourceUrl());
            entry.put("key", file.key());
            entry.put("state", file.state().json());
            entry.put("bytes", file.bytes());
            entry.put("content_type", file.contentType());
            entry.put("sha256", file.sha256());
            entry.put("error", file.error());
        }
        return manifest;
    }
}
