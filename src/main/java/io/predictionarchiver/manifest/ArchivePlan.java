package io.predictionarchiver.manifest;

import java.util.List;

import io.predictionarchiver.transfer.TransferredFile;

/**
 * What a run does with one id, decided from the id's stored manifest and the run's options before any API
 * call ({@link ManifestStore#plan}): leave it ({@link Skip}), only say what it would do ({@link DryRun}), or
 * archive it ({@link Archive}), creating its manifest ({@link Create}) or improving the stored one
 * ({@link Improve}).
 */
public sealed interface ArchivePlan {

    /** {@code {prefix}{id}/prediction.json}. */
    String manifestKey();

    /**
     * The plan for the id whose manifest at {@code manifestKey} is {@code stored} ({@code null}: there is none):
     * a stored manifest the run does not {@code revisit} is final. In a {@code dryRun} the work becomes a
     * {@link DryRun} saying what it would be.
     */
    static ArchivePlan of(String manifestKey, StoredManifest stored, Revisit revisit, boolean dryRun) {
        if (stored != null && !revisit.covers(stored)) {
            return new Skip(manifestKey);
        }
        Archive work = stored == null ? new Create(manifestKey) : new Improve(stored);
        return dryRun ? new DryRun(manifestKey, work.wouldDo()) : work;
    }

    /** Which stored manifests a run archives again, keeping every file they list as stored. */
    enum Revisit {
        /** None: a stored manifest ends the id. */
        NONE,
        /** {@code partial} and {@code expired} ones, which more files may improve ({@code archive --force}). */
        IMPROVABLE,
        /** Those listing files that kept failing: the daemon tries those again while their URLs last. */
        FAILED_FILES;

        boolean covers(StoredManifest stored) {
            return switch (this) {
                case NONE -> false;
                case IMPROVABLE -> stored.improvable();
                case FAILED_FILES -> stored.hasFailedFiles();
            };
        }
    }

    /** Already archived, and this run leaves it so: nothing is fetched or written. */
    record Skip(String manifestKey) implements ArchivePlan {
    }

    /** A dry run: {@code wouldDo} says what the run would do; nothing is fetched or written. */
    record DryRun(String manifestKey, String wouldDo) implements ArchivePlan {
    }

    /**
     * Archive the prediction: await it, transfer its files keeping {@link #keptFiles()}, and commit
     * ({@link ManifestStore#commit(Archive, List, reactor.core.publisher.Mono)}).
     */
    sealed interface Archive extends ArchivePlan {

        /** Entries of files already stored, which the transfer keeps instead of fetching them again. */
        List<TransferredFile> keptFiles();

        /** What a dry run says of this plan. */
        String wouldDo();
    }

    /** No manifest yet: the commit creates it, unless another archiver does first. */
    record Create(String manifestKey) implements Archive {

        @Override
        public List<TransferredFile> keptFiles() {
            return List.of();
        }

        @Override
        public String wouldDo() {
            return "would archive";
        }
    }

    /** Re-archive over {@code previous}, which the commit replaces only when more files end up stored. */
    record Improve(StoredManifest previous) implements Archive {

        @Override
        public String manifestKey() {
            return previous.key();
        }

        @Override
        public List<TransferredFile> keptFiles() {
            return previous.files();
        }

        @Override
        public String wouldDo() {
            return "would re-archive: the " + previous.state().json() + " manifest stores " + previous.storedFiles()
                    + " of " + previous.files().size() + " files";
        }

        /** Whether {@code files}, this run's transfer, store more files than {@code previous} lists as stored. */
        boolean improvedBy(List<TransferredFile> files) {
            return StoredManifest.storedFiles(files) > previous.storedFiles();
        }

        /** The commit of a re-archive that stored no more files: {@code previous} is left as it was. */
        ManifestCommit unchanged(List<TransferredFile> files) {
            return new ManifestCommit(previous.key(), previous.state(), ManifestCommit.Result.UNCHANGED, files,
                    "re-archive stored no more files than the " + previous.state().json() + " manifest ("
                            + previous.storedFiles() + " of " + files.size() + "); left unchanged");
        }
    }
}
