import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts mongo-java-server on a loopback port for local runs and tests.
 *
 * Usage: MongoJavaServerLauncher --port N [--h2 FILE [--check-store]]
 *   --port 0 picks a free port. Without --h2 the data lives in memory.
 *   --check-store reads every document of the H2 file before serving (see below); it is also done
 *   whenever the file cannot be opened as it is.
 *
 * Prints one line "READY port=N backend=memory|h2" when it accepts connections.
 * Exits when its standard input closes, so a parent that dies (even by SIGKILL)
 * never leaves an orphan engine behind; SIGTERM also shuts it down cleanly.
 *
 * Exits with code 3 (after one line "FATAL backend closed: ..." on stderr) when the H2 store
 * closes under it. H2 closes its store when its background writer fails (e.g. a StackOverflowError
 * serializing a document nested ~400+ levels deep); the server then keeps answering pings and
 * reads from its cache while refusing every write with "This store is closed". A half-dead engine
 * that looks alive is the worst case for its supervisor, so it dies loudly instead and is restarted
 * on the same file (what was committed before the failure is kept).
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

    H2Backend h2 = h2File == null ? null : openStore(h2File, checkStore);
    MongoBackend backend = h2 == null ? new MemoryBackend() : h2;
    backend.version(ADVERTISED_VERSION);
    MongoServer server = new MongoServer(backend);
    server.bind(new InetSocketAddress("127.0.0.1", port));
    Object stopLock = new Object();
    AtomicBoolean stopping = new AtomicBoolean(false);
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
  private static H2Backend openStore(String file, boolean checkFirst) {
    if (!checkFirst) {
      try {
        return openBackend(file);
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
      return openBackend(file);
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

  /** Like new H2Backend(file), but closes the file again when the backend fails to open. */
  private static H2Backend openBackend(String file) {
    MVStore store = MVStore.open(file);
    try {
      return new H2Backend(store);
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

  /** Exits with code 3 as soon as the H2 store is closed by anything but our own shutdown. */
  private static void watchStore(MVStore store, AtomicBoolean stopping) {
    Thread watcher = new Thread(() -> {
      while (!stopping.get()) {
        if (store.isClosed() && !stopping.get()) {
          Throwable cause = store.getPanicException();
          String reason = cause == null ? "closed" : String.valueOf(cause.getMessage());
          // The panic message can embed the whole offending document: keep the line short.
          if (reason.length() > 300) reason = reason.substring(0, 300) + "...";
          System.err.println("FATAL backend closed: " + reason.replace('\n', ' '));
          System.err.flush();
          // halt, not exit: the shutdown hook would try to close the broken store again.
          Runtime.getRuntime().halt(3);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "h2-store-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }
}
