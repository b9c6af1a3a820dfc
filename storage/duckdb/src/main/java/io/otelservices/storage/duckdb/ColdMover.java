package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.storage.objectstore.BlockCache;
import io.otelservices.storage.objectstore.ObjectInfo;
import io.otelservices.storage.objectstore.ObjectStore;
import io.otelservices.storage.objectstore.ObjectStoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cold tier's maintenance: moves blocks whose partition ended more than {@link BlockPolicy#coldAfter()} ago to
 * the object store, deletes the objects of dropped cold blocks, and deletes objects the catalog does not list as
 * cold. Runs on the maintenance thread with the {@link BlockSealer}'s connection, under the same lock.
 *
 * <p>Moving one block: upload its file under the key {@link BlockCatalog.Block#path()}; check that the store holds
 * as many bytes as the block has; in one transaction, change its tier from local to cold; commit; delete the local
 * file after {@link BlockSealer#FILE_DELETE_DELAY}, so that queries that planned with it can finish reading it.
 *
 * <p>Crashes: before the commit, the catalog still says local and the local file is there, so nothing is lost;
 * the uploaded object is deleted at the next start ({@link #removeOrphanObjects()}) and the block is uploaded again
 * at a later run. After the commit, the object is complete and verified; the local file left behind is deleted at
 * the next start ({@link BlockSealer#removeOrphans()}). A reader's snapshot sees each block in exactly one tier.
 *
 * <p>Dropped cold blocks leave the catalog first ({@link BlockSealer#applyRetention()}); their objects are deleted
 * and their cache copies evicted after the same delay. A delete that fails is retried at the next run; one lost in a
 * crash is found at the next start.
 */
final class ColdMover {

    private static final Logger logger = LoggerFactory.getLogger(ColdMover.class);

    /** Called between the upload and the catalog commit; tests use it to fail there, as a crash would. */
    interface UploadListener {
        UploadListener NONE = block -> {};

        void uploaded(BlockCatalog.Block block);
    }

    /**
     * What one run of {@link #moveToCold()} did: blocks moved and their bytes; {@code failure} is the error that
     * stopped it (the blocks after it stay local for the next run), or {@code null}.
     */
    record MoveReport(int blocks, long bytes, Exception failure) {
        static final MoveReport NONE = new MoveReport(0, 0, null);
    }

    private record PendingDelete(String key, long notBeforeNanos) {}

    private final DuckDBConnection connection;
    private final Path blocksDirectory;
    private final BlockPolicy policy;
    private final ObjectStore store;
    private final BlockCache cache;
    private final BlockSealer sealer;
    private final Deque<PendingDelete> pendingDeletes = new ArrayDeque<>();
    private volatile UploadListener uploadListener = UploadListener.NONE;

    ColdMover(DuckDBConnection connection, Path blocksDirectory, BlockPolicy policy, ObjectStore store,
            BlockCache cache, BlockSealer sealer) {
        this.connection = requireNonNull(connection, "connection");
        this.blocksDirectory = blocksDirectory.toAbsolutePath();
        this.policy = requireNonNull(policy, "policy");
        this.store = requireNonNull(store, "store");
        this.cache = requireNonNull(cache, "cache");
        this.sealer = requireNonNull(sealer, "sealer");
    }

    /** Replaces the listener called after each upload (tests). */
    void uploadListener(UploadListener listener) {
        uploadListener = requireNonNull(listener, "listener");
    }

    /**
     * Moves every local block whose partition ended at least {@link BlockPolicy#coldAfter()} ago, and not yet past
     * its retention (those are dropped right after), oldest first. Stops at the first upload that fails and
     * reports it; the blocks not moved stay local and readable.
     */
    MoveReport moveToCold() throws SQLException {
        if (policy.coldAfter() == null) {
            return MoveReport.NONE;
        }
        int moved = 0;
        long bytes = 0;
        for (BlockCatalog.Block block : dueBlocks()) {
            Path file = blocksDirectory.resolve(block.path());
            try {
                upload(block, file);
            } catch (ObjectStoreException e) {
                logger.atWarn().setCause(e).addKeyValue("block", block.path()).addKeyValue("movedBlocks", moved)
                        .log("cannot move a block to the cold tier; it stays local until the next run");
                return new MoveReport(moved, bytes, e);
            }
            uploadListener.uploaded(block);
            boolean changed;
            try {
                changed = BlockCatalog.changeTier(connection, block.id(), BlockCatalog.TIER_LOCAL,
                        BlockCatalog.TIER_COLD);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            if (!changed) {
                // Only this thread changes the catalog's blocks; the object is removed at the next start.
                logger.atWarn().addKeyValue("block", block.path()).log("block left the local tier during its move");
                continue;
            }
            sealer.deleteLater(file);
            moved++;
            bytes += block.bytes();
        }
        if (moved > 0) {
            logger.atInfo().addKeyValue("blocks", moved).addKeyValue("bytes", bytes)
                    .log("moved blocks to the cold tier");
        }
        return new MoveReport(moved, bytes, null);
    }

    private List<BlockCatalog.Block> dueBlocks() throws SQLException {
        Instant now = policy.clock().instant();
        long coldCutoff = BlockSealer.nanos(now.minus(policy.coldAfter()));
        List<BlockCatalog.Block> due = new ArrayList<>();
        try {
            for (BlockCatalog.Block block : BlockCatalog.all(connection)) {
                StoredTable.Kind kind = block.table().kind();
                long partitionEnd = block.partitionStart() + kind.partition().toNanos();
                if (!block.isCold() && partitionEnd <= coldCutoff
                        && partitionEnd > BlockSealer.nanos(now.minus(policy.retention(kind)))) {
                    due.add(block);
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        return due;
    }

    /** Uploads the block's file and checks the stored size; an earlier object under the key is replaced. */
    private void upload(BlockCatalog.Block block, Path file) {
        String key = block.path();
        store.put(key, file);
        long stored = store.size(key);
        if (stored != block.bytes()) {
            throw new ObjectStoreException(ObjectStoreException.Reason.OTHER, "uploaded block " + key + " to "
                    + store + ": the store holds " + stored + " bytes (expected: " + block.bytes()
                    + ", the sealed file's size)");
        }
        // A copy cached under the same key can only be of an older object (a block id reused after a drop).
        cache.evict(key);
    }

    /** Schedules the objects of the cold blocks among {@code dropped} (already out of the catalog) for deletion. */
    void dropObjects(List<BlockCatalog.Block> dropped) {
        long notBefore = System.nanoTime() + BlockSealer.FILE_DELETE_DELAY.toNanos();
        for (BlockCatalog.Block block : dropped) {
            if (block.isCold()) {
                pendingDeletes.add(new PendingDelete(block.path(), notBefore));
            }
        }
    }

    /**
     * Deletes the objects of dropped cold blocks whose delay has passed, or all of them with {@code now}, and evicts
     * their cache copies. Stops at the first failure, keeping the rest for the next call; returns how many were
     * deleted.
     */
    int deleteDueObjects(boolean now) {
        int deleted = 0;
        long nanoTime = System.nanoTime();
        while (!pendingDeletes.isEmpty() && (now || pendingDeletes.peek().notBeforeNanos() - nanoTime <= 0)) {
            String key = pendingDeletes.peek().key();
            try {
                store.delete(key);
            } catch (ObjectStoreException e) {
                logger.atWarn().setCause(e).addKeyValue("key", key).addKeyValue("pending", pendingDeletes.size())
                        .log("cannot delete the objects of dropped cold blocks; retrying at the next run");
                return deleted;
            }
            cache.evict(key);
            pendingDeletes.poll();
            deleted++;
        }
        return deleted;
    }

    /**
     * Deletes the objects under the stored tables' prefixes that the catalog does not list as cold: uploads whose
     * commit did not happen, and objects of dropped blocks whose delete was lost in a stop or crash. Called at start,
     * before anything moves.
     *
     * @throws ObjectStoreException if the store cannot be listed or an object cannot be deleted
     */
    int removeOrphanObjects() throws SQLException {
        Set<String> cold = new HashSet<>();
        try {
            for (BlockCatalog.Block block : BlockCatalog.all(connection)) {
                if (block.isCold()) {
                    cold.add(block.path());
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        int removed = 0;
        for (StoredTable table : StoredTable.values()) {
            for (ObjectInfo object : store.list(table.table() + "/")) {
                if (!cold.contains(object.key())) {
                    store.delete(object.key());
                    cache.evict(object.key());
                    removed++;
                }
            }
        }
        if (removed > 0) {
            logger.atInfo().addKeyValue("objects", removed).log("removed cold objects the catalog does not list");
        }
        return removed;
    }
}
