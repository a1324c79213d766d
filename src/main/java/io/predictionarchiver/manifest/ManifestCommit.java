package io.predictionarchiver.manifest;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.predictionarchiver.transfer.FileState;
import io.predictionarchiver.transfer.TransferredFile;

/**
 * What the commit stage did with the files of one prediction
 * ({@link ManifestStore#commit(ArchivePlan.Archive, List, reactor.core.publisher.Mono)}).
 *
 * @param key    the manifest's key
 * @param state  the state this archiver derived from {@code files}; the stored manifest's when
 *               {@link Result#UNCHANGED}; when {@link Result#EXISTED} the stored manifest was written by another
 *               archiver and may say otherwise ({@link ManifestStore#read} tells)
 * @param result what became of the manifest
 * @param files  this run's files, one entry per URL occurrence
 * @param note   why the manifest was left {@link Result#UNCHANGED}; {@code null} otherwise
 */
public record ManifestCommit(String key, ArchiveState state, Result result, List<TransferredFile> files,
        String note) {

    public enum Result {
        /** This call wrote the manifest: created it, or replaced the one its plan read. */
        WRITTEN,
        /** Another archiver wrote it first, or replaced it since it was read; that is not an error. */
        EXISTED,
        /** A re-archive stored no more files than the stored manifest lists, so left it as it was. */
        UNCHANGED
    }

    /** Objects stored for {@link #files()}: a URL repeated in the output is one object listed twice. */
    public int storedObjects() {
        return storedBytesByKey().size();
    }

    /** The bytes of {@link #storedObjects()}. */
    public long storedBytes() {
        return storedBytesByKey().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Files recorded failed, a URL repeated in the output counted once: a later run may store them. */
    public int failedFiles() {
        return (int) files.stream().filter(file -> file.state() == FileState.FAILED)
                .map(TransferredFile::sourceUrl).distinct().count();
    }

    private Map<String, Long> storedBytesByKey() {
        return files.stream().filter(file -> file.state() == FileState.STORED)
                .collect(Collectors.toMap(TransferredFile::key, TransferredFile::bytes, (same, again) -> same));
    }
}
