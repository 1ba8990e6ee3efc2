import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.message.MongoQuery;

import io.netty.channel.Channel;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.io.InputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Starts mongo-java-server on a loopback port for local runs and tests.
 *
 * Usage: MongoJavaServerLauncher --port N [--h2 FILE [--check-store]]
 *   --port 0 picks a free port. Without --h2 the data lives in memory.
 *   --check-store reads every document of the H2 file before serving (see below); it is also done
 *   whenever the file cannot be opened as it is.
 *
 * Durability (H2). H2's MVStore normally commits in the background about once a second, so a kill -9
 * (or a SIGTERM escalated to SIGKILL) lost what the engine had acknowledged in the last second,
 * and a background commit could catch a command half done (a document without its index entry, one
 * update of a multi-document write without the next). Here the store has no background writer and
 * no commit triggered by its buffer filling up: every command is answered only after the store
 * holds it (see {@link DurableH2Backend}), and every version committed is a state between commands.
 * A commit writes the new chunk to the file (the OS cache) without fsync, which is done once a
 * second in the background: what was acknowledged survives a kill of the engine; a power loss of
 * the machine can lose the last second or so.
 *
 * Prints one line "READY port=N backend=memory|h2" when it accepts connections.
 * Exits when its standard input closes, so a parent that dies (even by SIGKILL)
 * never leaves an orphan engine behind; SIGTERM also shuts it down cleanly.
 *
 * Exits with code 3 (after one line "FATAL backend closed: ..." on stderr) when the H2 store
 * closes under it. H2 closes its store when a commit fails (e.g. a StackOverflowError serializing a
 * document nested ~400+ levels deep); the server would then keep answering pings and reads from its
 * cache while refusing every write with "This store is closed". A half-dead engine that looks alive
 * is the worst case for its supervisor, so it dies loudly instead (half a second later, answering
 * every command meanwhile with an error) and is restarted on the same file (what was committed
 * before the failure is kept: everything acknowledged).
 *
 * Documents nested too deep to load. H2 stores documents with Java serialization, which recurses
 * once per level, both ways. A background writer that happens to be warm (JIT-compiled, smaller
 * frames) can store a document hundreds of levels deep that a freshly started engine then cannot
 * read: opening the collection (its root page) or any read of the page throws a StackOverflowError
 * ("Could not deserialize"), so the store cannot be opened at all, or every read of that collection
 * fails. Checking the store reads it on a thread with a very large stack, removes every document
 * nested deeper than MongoDB itself accepts ({@value #MAX_NESTING} levels; a real MongoDB refuses
 * them), through the collection so its indexes follow, saves what it removed to
 * "FILE.removed-TIMESTAMP" (one line per document, for inspection) and commits. It prints one line
 * "REPAIRED removed=N namespaces=db.coll,... saved=PATH" on stdout when it removed something.
 * A store whose background writer failed can also be left with a newest version that does not read
 * back ("File corrupted in chunk N"): the check then copies the file to "FILE.before-rollback-
 * TIMESTAMP", rolls back to the newest version it can read in full (at most 50 versions back:
 * the last moments before the failure are lost) and prints
 * "ROLLED BACK versions=K to=V original=PATH" on stdout.
 *
 * Exits with code 4 (after one line "FATAL cannot open store: ..." on stderr) when the H2 file
 * cannot be opened even so (a corrupt file): the caller decides what to do with it. Exits with
 * code 5 ("FATAL cannot access store: ...") when the file is locked by another engine or cannot be
 * read or written: nothing is wrong with its content.
 */
public final class MongoJavaServerLauncher {
  /**
   * The built-in versions advertise wire version 8 at most, and the Node.js driver used by
   * mongoose 9 refuses anything below 9 (MongoDB 4.4). The project only uses 4.2-era features
   * (no transactions, change streams or $text), so 4.4 is advertised.
   */
  private static final MongoVersion ADVERTISED_VERSION = new MongoVersion() {
    @Override
    public List<Integer> getVersionArray() {
      return List.of(4, 4, 0);
    }

    @Override
    public int getWireVersion() {
      return 9;
    }
  };

  /** MongoDB's own limit: "no more than 100 levels of nesting for BSON documents". */
  static final int MAX_NESTING = 100;

  /** Stack of the thread that checks a store: enough for documents nested ~100,000 levels. */
  private static final long CHECK_STACK_BYTES = 1L << 30;

  public static void main(String[] args) throws Exception {
    int port = 0;
    String h2File = null;
    boolean checkStore = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--h2" -> h2File = args[++i];
        case "--check-store" -> checkStore = true;
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
        }
      }
    }

    AtomicBoolean stopping = new AtomicBoolean(false);
    H2Backend h2 = h2File == null ? null : openStore(h2File, checkStore, stopping);
    MongoBackend backend = h2 == null ? new MemoryBackend() : h2;
    backend.version(ADVERTISED_VERSION);
    MongoServer server = new MongoServer(backend);
    server.bind(new InetSocketAddress("127.0.0.1", port));
    Object stopLock = new Object();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      synchronized (stopLock) {
        server.shutdown();
      }
    }));
    if (h2 != null) watchStore(h2.getMvStore(), stopping);

    System.out.println("READY port=" + server.getLocalAddress().getPort()
        + " backend=" + (h2File == null ? "memory" : "h2"));
    System.out.flush();

    InputStream in = System.in;
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // Nothing is expected on stdin; it only tells us the parent is alive.
    }
    System.exit(0);
  }

  /**
   * Opens the H2 file as it is; checks it first when asked, or when that fails. Exits with code 4
   * when its content cannot be opened even after the check, with code 5 when the file cannot be
   * used at all (locked by another engine, unreadable, disk full): moving that file aside would be
   * wrong.
   */
  private static H2Backend openStore(String file, boolean checkFirst, AtomicBoolean stopping) {
    if (!checkFirst) {
      try {
        return openBackend(file, stopping);
      } catch (Throwable error) {
        if (isInaccessible(error)) fatal(error);
        System.err.println("cannot open the store as it is (" + summary(error)
            + "): checking it document by document");
        System.err.flush();
      }
    }
    try {
      Repair repair = onLargeStack(() -> checkStore(file));
      if (repair.rolledBackVersions() > 0) {
        System.out.println("ROLLED BACK versions=" + repair.rolledBackVersions()
            + " to=" + repair.version() + " original=" + repair.originalCopy());
        System.out.flush();
      }
      if (repair.removed() > 0) {
        System.out.println("REPAIRED removed=" + repair.removed() + " namespaces="
            + String.join(",", repair.namespaces()) + " saved=" + repair.savedTo());
        System.out.flush();
      }
      return openBackend(file, stopping);
    } catch (Throwable error) {
      fatal(error);
      throw new IllegalStateException("unreachable");
    }
  }

  private static void fatal(Throwable error) {
    boolean inaccessible = isInaccessible(error);
    System.err.println((inaccessible ? "FATAL cannot access store: " : "FATAL cannot open store: ")
        + summary(error));
    System.err.flush();
    Runtime.getRuntime().halt(inaccessible ? 5 : 4);
  }

  /** A file in use by another engine, or that cannot be read or written: its content is not at fault. */
  private static boolean isInaccessible(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof MVStoreException store
          && (store.getErrorCode() == DataUtils.ERROR_FILE_LOCKED
              || store.getErrorCode() == DataUtils.ERROR_WRITING_FAILED)) {
        return true;
      }
      if (cause instanceof java.nio.file.FileSystemException) return true;
      if (cause == cause.getCause()) break;
    }
    return false;
  }

  /**
   * Like new H2Backend(file), but durable (see {@link DurableH2Backend}), and closes the file
   * again when the backend fails to open. No background writer (autoCommitDisabled) and no commit
   * when the unsaved pages reach a size (autoCommitBufferSize 0): only DurableH2Backend commits.
   */
  private static H2Backend openBackend(String file, AtomicBoolean stopping) {
    MVStore store = new MVStore.Builder()
        .fileName(file)
        .autoCommitDisabled()
        .autoCommitBufferSize(0)
        .open();
    try {
      return new DurableH2Backend(store, stopping);
    } catch (Throwable error) {
      store.closeImmediately();
      throw error;
    }
  }

  /** Versions the check may roll back, newest first, looking for one it can read in full. */
  private static final int MAX_ROLLBACK_VERSIONS = 50;

  private record Repair(
      int removed, TreeSet<String> namespaces, Path savedTo,
      long rolledBackVersions, long version, Path originalCopy) {}

  /**
   * Reads every document of every collection (this thread has a large stack), removes those nested
   * deeper than MAX_NESTING and saves them aside. Commits on this thread: the store's background
   * writer, with an ordinary stack, is disabled meanwhile.
   */
  private static Repair checkStore(String file) throws Throwable {
    MVStore store = new MVStore.Builder().fileName(file).autoCommitDisabled().open();
    try {
      String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
          .withZone(ZoneOffset.UTC).format(Instant.now());
      // A store that closed while writing can leave its newest version unreadable ("File corrupted
      // in chunk N"): go back to the newest version that reads in full, keeping a copy of the file
      // as it was. Only the last moments before the failure are lost.
      long latest = store.getCurrentVersion();
      long version = latest;
      Path originalCopy = null;
      for (;;) {
        Throwable failure;
        try {
          readEverything(store);
          break;
        } catch (Throwable error) {
          if (isInaccessible(error)) throw error;
          failure = error;
        }
        if (originalCopy == null) {
          originalCopy = Path.of(file + ".before-rollback-" + stamp);
          Files.copy(Path.of(file), originalCopy);
        }
        if (version <= 0 || latest - version >= MAX_ROLLBACK_VERSIONS) throw failure;
        version--;
        try {
          store.rollbackTo(version);
        } catch (Throwable unavailable) {
          failure.addSuppressed(unavailable);
          throw failure;
        }
      }
      H2Backend backend = new H2Backend(store);
      TreeSet<String> namespaces = new TreeSet<>();
      Path savedTo = Path.of(file + ".removed-" + stamp);
      int removed = 0;
      Writer out = null;
      try {
        for (String mapName : new TreeSet<>(store.getMapNames())) {
          if (!mapName.startsWith("databases.")) continue;
          String namespace = mapName.substring("databases.".length());
          int dot = namespace.indexOf('.');
          if (dot < 0) continue;
          String databaseName = namespace.substring(0, dot);
          String collectionName = namespace.substring(dot + 1);
          if (collectionName.startsWith("system.")) continue;
          MongoDatabase database = backend.resolveDatabase(databaseName);
          MongoCollection<?> collection = database.resolveCollection(collectionName, false);
          if (collection == null) continue;
          MVMap<Object, Object> data = store.openMap(mapName);
          List<Document> tooDeep = new ArrayList<>();
          for (Map.Entry<Object, Object> entry : data.entrySet()) {
            if (entry.getValue() instanceof Document document && nesting(document) > MAX_NESTING) {
              tooDeep.add(document);
            }
          }
          for (Document document : tooDeep) {
            if (out == null) {
              out = Files.newBufferedWriter(savedTo, StandardCharsets.UTF_8,
                  StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
              out.write("# Documents removed from " + file + " because they were nested deeper than "
                  + MAX_NESTING + " levels (the engine cannot load them). One per line: namespace, "
                  + "then the document.\n");
            }
            out.write(namespace + " " + document + "\n");
            out.flush();
            collection.removeDocument(document);
            namespaces.add(namespace);
            removed++;
          }
        }
      } finally {
        if (out != null) out.close();
      }
      store.commit();
      return new Repair(removed, namespaces, savedTo, latest - version, version, originalCopy);
    } finally {
      store.close();
    }
  }

  /** Reads every entry of every map (documents included): throws what a later read would. */
  private static void readEverything(MVStore store) {
    for (String mapName : new TreeSet<>(store.getMapNames())) {
      MVMap<Object, Object> map = store.openMap(mapName);
      for (Map.Entry<Object, Object> entry : map.entrySet()) {
        entry.getValue();
      }
    }
  }

  /** Levels of documents and arrays below the top-level document (iterative: any depth). */
  static int nesting(Document document) {
    int deepest = 0;
    Deque<Object[]> pending = new ArrayDeque<>();
    pending.push(new Object[] {document, 0});
    while (!pending.isEmpty()) {
      Object[] item = pending.pop();
      int level = (Integer) item[1];
      deepest = Math.max(deepest, level);
      Collection<?> children = item[0] instanceof Document d ? d.values()
          : item[0] instanceof Collection<?> c ? c : List.of();
      for (Object child : children) {
        if (child instanceof Document || child instanceof Collection<?>) {
          pending.push(new Object[] {child, level + 1});
        }
      }
    }
    return deepest;
  }

  private interface Work<T> {
    T run() throws Throwable;
  }

  /** Runs `work` on a thread with a stack large enough to (de)serialize very deep documents. */
  private static <T> T onLargeStack(Work<T> work) throws Throwable {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        result.set(work.run());
      } catch (Throwable error) {
        failure.set(error);
      }
    }, "h2-store-check", CHECK_STACK_BYTES);
    thread.start();
    thread.join();
    if (failure.get() != null) throw failure.get();
    return result.get();
  }

  /** One line: the outer message and the root cause, without the documents they may embed. */
  private static String summary(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String text = error.getClass().getName() + ": " + error.getMessage();
    if (text.length() > 240) text = text.substring(0, 240) + "...";
    if (root != error) {
      String cause = root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
      if (cause.length() > 160) cause = cause.substring(0, 160) + "...";
      text += " (root cause: " + cause + ")";
    }
    return text.replace('\n', ' ').replace('\r', ' ');
  }

  /** Why the store closed, in one short line (the panic message can embed a whole document). */
  private static String closedReason(MVStore store) {
    Throwable cause = store.getPanicException();
    String reason = cause == null ? "closed" : String.valueOf(cause.getMessage());
    if (reason.length() > 300) reason = reason.substring(0, 300) + "...";
    return reason.replace('\n', ' ').replace('\r', ' ');
  }

  /**
   * After the store closed, the exit waits for a pause in the commands (each answered with an
   * error meanwhile, so a client's next request fails at once rather than waiting for a server):
   * QUIET_MS without one, at most CLOSED_GRACE_MS after the close. Short: a supervisor checking
   * every 250 ms must see the exit (code 3) before its checks fail several times in a row.
   */
  private static final long QUIET_MS = 60;
  private static final long CLOSED_GRACE_MS = 200;

  /** When the H2 backend last answered a command (ms since the epoch). */
  private static volatile long lastAnswerAt;

  /**
   * Exits with code 3 (one line "FATAL backend closed: ..." on stderr) soon after the H2 store is
   * closed by anything but our own shutdown: halt, not exit, as the shutdown hook would try to
   * close the broken store again. Meanwhile every command is answered with an error (see
   * DurableH2Backend): nothing is acknowledged once the store is closed.
   */
  private static void watchStore(MVStore store, AtomicBoolean stopping) {
    Thread watcher = new Thread(() -> {
      long closedSince = 0;
      while (!stopping.get()) {
        if (store.isClosed()) {
          long now = System.currentTimeMillis();
          if (closedSince == 0) closedSince = now;
          boolean quiet = now - closedSince >= QUIET_MS && now - lastAnswerAt >= QUIET_MS;
          if ((quiet || now - closedSince >= CLOSED_GRACE_MS) && !stopping.get()) {
            System.err.println("FATAL backend closed: " + closedReason(store));
            System.err.flush();
            Runtime.getRuntime().halt(3);
          }
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "h2-store-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  /**
   * The H2 backend, made durable: a command is answered only once what it wrote is committed to
   * the file, so an engine killed (even by SIGKILL) keeps every write it acknowledged.
   *
   * The hook: every request the server answers goes through handleCommand (OP_MSG, i.e. every
   * command of current drivers, and OP_QUERY on "$cmd") or handleQuery (legacy OP_QUERY finds), and
   * the server sends their result only when they return. Each runs under the read side of a fair
   * read-write lock (commands still run side by side, as before); once it is done, the store is
   * committed under the write side, i.e. when no command is half done. So every committed version
   * is a state between commands, and commands that finish together share one commit. Reads commit
   * nothing: a commit with no changes is skipped.
   *
   * Housekeeping H2's background writer did, on a thread of its own, once a second: fsync the file,
   * off the answer's path (H2 overwrites a chunk only once it is unused and older than its
   * retention time, assuming the disk has it by then: the retention time is lowered to a few
   * seconds, as a commit per command would otherwise leave 45 s worth of dead chunks in the file,
   * and the fsync keeps that assumption true); and, while no command writes, under the write lock,
   * rewrite the live pages of mostly-empty chunks so that their space can be reused (one chunk per
   * commit leaves many chunks with only a page or two still in use).
   */
  static final class DurableH2Backend extends H2Backend {
    /** Housekeeping interval; fill rate of the chunks under which they are rewritten, bytes per pass. */
    private static final long HOUSEKEEPING_INTERVAL_MS = 1_000;
    private static final int COMPACT_FILL_RATE = 60;
    private static final int COMPACT_WRITE_BYTES = 2 << 20;
    /** How long a chunk no longer used is kept before its space is reused (H2's default: 45 s). */
    private static final int RETENTION_MS = 3_000;

    private final MVStore store;
    private final AtomicBoolean stopping;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    DurableH2Backend(MVStore store, AtomicBoolean stopping) {
      super(store);
      this.store = store;
      this.stopping = stopping;
      store.setRetentionTime(RETENTION_MS);
      // Whatever opening the databases wrote (nothing, usually).
      commitNow();
      Thread housekeeping = new Thread(this::housekeeping, "h2-store-housekeeping");
      housekeeping.setDaemon(true);
      housekeeping.start();
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
      lock.readLock().lock();
      try {
        return super.handleCommand(channel, databaseName, command, query);
      } finally {
        lock.readLock().unlock();
        commitDone();
      }
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
      lock.readLock().lock();
      try {
        return super.handleQuery(query);
      } finally {
        lock.readLock().unlock();
        commitDone();
      }
    }

    @Override
    public void close() {
      // The server closes the backend once its connections are closed; still, never close (and so
      // commit) the store in the middle of a command.
      boolean locked = false;
      try {
        locked = lock.writeLock().tryLock(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        super.close();
      } finally {
        if (locked) lock.writeLock().unlock();
      }
    }

    /**
     * Commits what the calling thread's command wrote, unless another commit already has; throws
     * (the command is answered with an error, not acknowledged) when the store could not save it.
     */
    private void commitDone() {
      // A nested call: the outermost one commits (the write lock cannot be taken under a read lock).
      if (lock.getReadHoldCount() > 0) return;
      // Nothing unsaved and no commit under way: what this command wrote (if anything) is in the
      // file. In this order: a commit under way may already count our changes as saved.
      if (store.hasUnsavedChanges() || lock.isWriteLocked()) {
        lock.writeLock().lock();
        try {
          commitNow();
        } finally {
          lock.writeLock().unlock();
        }
      }
      // Closed by a failed commit (this command's or another's that took its changes along): what
      // it wrote is not in the file. The watcher ends the engine (code 3) in a moment.
      if (store.isClosed() && !stopping.get()) {
        lastAnswerAt = System.currentTimeMillis();
        throw new MongoServerException("the store is closed, nothing more is saved: " + closedReason(store));
      }
    }

    /** Commits (a no-op without changes or once closed); throws when the store cannot save it. */
    private void commitNow() {
      try {
        store.commit();
      } catch (RuntimeException | Error error) {
        // H2 closes its store when a commit fails (e.g. a StackOverflowError serializing a document
        // nested too deep): the command is answered with this error, and the engine exits.
        throw new MongoServerException("the write could not be saved: " + summary(error), error);
      }
    }

    private void housekeeping() {
      long versionSeen = -1;
      while (!stopping.get() && !store.isClosed()) {
        try {
          Thread.sleep(HOUSEKEEPING_INTERVAL_MS);
          long version = store.getCurrentVersion();
          boolean idle = version == versionSeen;
          versionSeen = version;
          if (idle) {
            // Nothing committed for a second: compact now, when it delays no one.
            if (!lock.writeLock().tryLock(100, TimeUnit.MILLISECONDS)) continue;
            try {
              if (stopping.get() || store.isClosed()) return;
              if (store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES)) commitNow();
            } finally {
              lock.writeLock().unlock();
            }
          }
          if (!stopping.get() && !store.isClosed()) store.sync();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException | Error error) {
          if (stopping.get() || store.isClosed()) return;
          System.err.println("h2 housekeeping failed: " + summary(error));
          System.err.flush();
        }
      }
    }
  }
}
