import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.backend.AbstractMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import de.bwaldvogel.mongo.wire.message.MongoReply;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.Writer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 * never leaves an orphan engine behind; SIGTERM also shuts it down cleanly (see Stopping).
 *
 * Durability (H2). Stock mongo-java-server on H2 lets H2's background writer commit about once a
 * second, so a kill -9 lost what the engine had acknowledged in the last second or so (3 to 54
 * events in the fault tests), and a background commit could save a command half done (a document
 * without its index entry). Here H2 has no background writer and never commits on its own
 * (autoCommitDisabled, autoCommitBufferSize 0): {@link DurableH2Backend} sends a command's answer
 * only once what it wrote, and everything written before it, is committed to the file, and every
 * committed version lies between commands. Commits are grouped: answers wait (without holding up
 * their event loop) for the next commit, which one thread makes as soon as an answer waits and
 * which covers every command finished by then. A commit writes H2's new chunk into the file (the
 * OS page cache, which a kill -9 of the engine keeps) without fsync; the file is fsynced once a
 * second in the background, so a power loss of the machine can still lose the last second or so.
 * Cost, measured with acknowledged inserts and updates of 350-byte documents on this 2-core machine
 * shared with other work (a Node.js driver script, stock and durable alternated, 8 s each, medians of
 * 5, in two sessions under different loads): one client at a time 1,830 -> 843 and 1,207 -> 745
 * writes/s (46-62 %); 16 clients 1,807 -> 1,229 and 1,184 -> 698 writes/s (59-68 %): the price of
 * a commit per group (small B-tree pages, KEYS_PER_PAGE, make each commit cheaper). Under
 * sustained writes the file grows faster than stock's (more, smaller chunks); it is compacted while
 * they go on and when they pause (see DurableH2Backend).
 *
 * Stopping (SIGTERM, or standard input closed). In this order: (1) commands that arrive from now
 * on are not run but answered with ShutdownInProgress (code 91) labelled as an overload the driver
 * retries (SystemOverloadedError, RetryableError, baseBackoffMS): the Node.js driver marks the
 * engine unknown, clears its pool and runs the command again once the engine (restarted on the
 * same port) is back; (2) the listening socket is closed (a new connection is refused at once);
 * (3) commands already running finish, are committed and answered; (4) once no command has arrived
 * for {@value #QUIET_MS} ms (at most {@value #DRAIN_MS} ms after the signal), the connections left
 * are closed, the store is committed and closed cleanly (whatever a command wrote is in the file)
 * and the process exits. Stock mongo-java-server closed its store in its own shutdown hook after
 * closing every connection, which loses nothing itself, but cut the connections under commands
 * in flight, which the clients saw as network errors.
 *
 * Connections are closed with a reset (SO_LINGER 0), by a stop and by a kill alike. A close with
 * FIN can leave the Node.js driver (mongodb 7.x) stuck for good: when its monitor's connection is
 * closed by the server while another connection's failure makes it check the server, it writes its
 * hello to a socket already ended and waits for a 'drain' that never comes; the engine restarted
 * in a second is then never seen again by that client (the "not back within 20 s" of the fault
 * tests). A reset errors the socket at once, before the monitor can start that check.
 *
 * Exits with code 3 (after one line "FATAL backend closed: ..." on stderr) when the H2 store
 * closes under it. H2 closes its store when a commit fails (e.g. a StackOverflowError serializing a
 * document nested ~400+ levels deep); the server would then keep answering pings and reads from its
 * cache while refusing every write with "This store is closed". A half-dead engine that looks alive
 * is the worst case for its supervisor, so it dies loudly instead, within half a second (see
 * watchStore: every data command is answered with an error meanwhile, those whose commit failed
 * included, never acknowledged), and is restarted on the same file (what was committed before the
 * failure is kept: everything acknowledged).
 *
 * Documents nested too deep to load. H2 stores documents with Java serialization, which recurses
 * once per level, both ways. A committing thread that happens to be warm (JIT-compiled, smaller
 * frames) can store a document hundreds of levels deep that a freshly started engine then cannot
 * read: opening the collection (its root page) or any read of the page throws a StackOverflowError
 * ("Could not deserialize"), so the store cannot be opened at all, or every read of that collection
 * fails. Checking the store reads it on a thread with a very large stack, removes every document
 * nested deeper than MongoDB itself accepts ({@value #MAX_NESTING} levels; a real MongoDB refuses
 * them), through the collection so its indexes follow, saves what it removed to
 * "FILE.removed-TIMESTAMP" (one line per document, for inspection) and commits. It prints one line
 * "REPAIRED removed=N namespaces=db.coll,... saved=PATH" on stdout when it removed something.
 * A store whose commit failed can also be left with a newest version that does not read
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

    CommandGate gate = new CommandGate();
    DurableH2Backend h2 = h2File == null ? null : openStore(h2File, checkStore, gate);
    MongoBackend backend = h2 == null ? new GatedMemoryBackend(gate) : h2;
    backend.version(ADVERTISED_VERSION);
    MongoServer server = new MongoServer(backend);
    server.bind(new InetSocketAddress("127.0.0.1", port));
    AtomicBoolean stopping = new AtomicBoolean(false);
    Runtime.getRuntime().addShutdownHook(
        new Thread(() -> stop(server, gate, stopping), "mongo-java-server-stop"));
    if (h2 != null) {
      watchStore(h2.getMvStore(), stopping, gate, () -> {
        try {
          // Connections reset (SO_LINGER 0), event loops ended; closing the backend saves nothing.
          server.shutdownNow();
        } catch (RuntimeException ignored) {
          // Halting anyway.
        }
        closeStdin();
      });
    }

    System.out.println("READY port=" + server.getLocalAddress().getPort()
        + " backend=" + (h2File == null ? "memory" : "h2"));
    System.out.flush();

    // Nothing is expected on stdin; its end tells us the parent is gone. Read through a channel,
    // which an exit closes first (see closeStdin): a thread blocked in a native read makes the JVM
    // wait 300 ms more before it exits, time the restarted engine's clients spend waiting.
    ByteBuffer buffer = ByteBuffer.allocate(256);
    try {
      while (STDIN.read(buffer) >= 0) buffer.clear();
    } catch (ClosedChannelException closedByTheStop) {
      // The stop closed it: the JVM is exiting.
      Thread.currentThread().join();
    }
    System.exit(0);
  }

  /** Standard input, as a channel the stop can close under a blocked read. */
  private static final FileChannel STDIN = new FileInputStream(FileDescriptor.in).getChannel();

  /**
   * Opens the H2 file as it is; checks it first when asked, or when that fails. Exits with code 4
   * when its content cannot be opened even after the check, with code 5 when the file cannot be
   * used at all (locked by another engine, unreadable, disk full): moving that file aside would be
   * wrong.
   */
  private static DurableH2Backend openStore(String file, boolean checkFirst, CommandGate gate) {
    if (!checkFirst) {
      try {
        return openBackend(file, gate);
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
      return openBackend(file, gate);
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
   * Like new H2Backend(file), but durable (see {@link DurableH2Backend}), and closes the file again
   * when the backend fails to open. No background writer (autoCommitDisabled) and no commit when
   * the unsaved pages reach a size (autoCommitBufferSize 0): only DurableH2Backend commits, between
   * commands.
   */
  private static DurableH2Backend openBackend(String file, CommandGate gate) {
    MVStore store = new MVStore.Builder()
        .fileName(file)
        .autoCommitDisabled()
        .autoCommitBufferSize(0)
        .keysPerPage(DurableH2Backend.KEYS_PER_PAGE)
        .open();
    try {
      return new DurableH2Backend(store, gate);
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
  static String closedReason(MVStore store) {
    Throwable cause = store.getPanicException();
    String reason = cause == null ? "closed" : String.valueOf(cause.getMessage());
    if (reason.length() > 300) reason = reason.substring(0, 300) + "...";
    return reason.replace('\n', ' ').replace('\r', ' ');
  }

  /**
   * After the store closed, the exit waits for a pause in the commands (each answered with an
   * error meanwhile, so a client's next request fails at once instead of waiting for a server):
   * {@value #CLOSED_QUIET_MS} ms without one, at most {@value #CLOSED_GRACE_MS} ms after the close.
   * Short: a supervisor checking every 250 ms must see the exit (code 3) before its checks fail
   * three times in a row.
   */
  static final long CLOSED_QUIET_MS = 200;
  static final long CLOSED_GRACE_MS = 500;

  /**
   * Exits with code 3 (one line "FATAL backend closed: ..." on stderr) soon after the H2 store is
   * closed by anything but our own shutdown: halt, not exit, as the shutdown hook would try to
   * close the broken store again. `beforeHalt` stops the threads blocked in native calls (event
   * loops, the read of standard input), which would hold the exit 300 ms.
   */
  private static void watchStore(
      MVStore store, AtomicBoolean stopping, CommandGate gate, Runnable beforeHalt) {
    Thread watcher = new Thread(() -> {
      long closedSince = 0;
      while (!stopping.get()) {
        if (store.isClosed()) {
          long now = System.nanoTime();
          if (closedSince == 0) closedSince = now;
          boolean quiet = now - closedSince >= TimeUnit.MILLISECONDS.toNanos(CLOSED_QUIET_MS)
              && gate.quietFor(TimeUnit.MILLISECONDS.toNanos(CLOSED_QUIET_MS));
          if ((quiet || now - closedSince >= TimeUnit.MILLISECONDS.toNanos(CLOSED_GRACE_MS))
              && !stopping.get()) {
            System.err.println("FATAL backend closed: " + closedReason(store));
            System.err.flush();
            beforeHalt.run();
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

  /** Stopping: how long without a new command before closing, and the longest wait (see above). */
  static final long QUIET_MS = 100;
  static final long DRAIN_MS = 1_500;

  /**
   * The stop described in the class comment: refuse new commands (retryable), stop listening, let
   * the commands in flight finish (committed and answered), close the connections with a reset,
   * then stop the server, which closes the backend (commit, clean close of the store).
   */
  private static void stop(MongoServer server, CommandGate gate, AtomicBoolean stopping) {
    stopping.set(true);
    gate.close();
    server.stopListening();
    gate.awaitQuiet(QUIET_MS, DRAIN_MS);
    closeConnections(server);
    server.shutdown();
    closeStdin();
  }

  /**
   * Ends the main thread's read of standard input: the JVM exits 300 ms sooner without a thread
   * blocked in a native call (VM_Exit waits that long for them).
   */
  private static void closeStdin() {
    try {
      STDIN.close();
    } catch (IOException ignored) {
      // Exiting anyway.
    }
  }

  /**
   * Closes every client connection with a reset (see the class comment), waiting for the closes.
   * The server's channel group is private: read through reflection; without it, the server's own
   * shutdown closes them (with FIN).
   */
  private static void closeConnections(MongoServer server) {
    try {
      Field field = MongoServer.class.getDeclaredField("channelGroup");
      field.setAccessible(true);
      ChannelGroup channels = (ChannelGroup) field.get(server);
      if (channels == null) return;
      for (Channel channel : channels) resetOnClose(channel);
      channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    } catch (ReflectiveOperationException | RuntimeException error) {
      System.err.println("could not close the connections with a reset: " + summary(error));
      System.err.flush();
    }
  }

  /** SO_LINGER 0: closing the socket (by us, or by the kernel when the process dies) sends RST. */
  static void resetOnClose(Channel channel) {
    try {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
    } catch (RuntimeException ignored) {
      // Closed already: nothing to do.
    }
  }

  /**
   * Admits commands while the engine runs and counts those running; once the engine stops, refuses
   * new ones (see {@link #refusal}). Every connection is switched to close with a reset when it
   * sends its first command (its handshake, at once).
   */
  static final class CommandGate {
    private static final io.netty.util.AttributeKey<Boolean> RESET_ON_CLOSE =
        io.netty.util.AttributeKey.valueOf("resetOnClose");

    private volatile boolean closed;
    private final AtomicInteger running = new AtomicInteger();
    private volatile long lastArrival = System.nanoTime();
    private volatile Consumer<Channel> onFirstCommand = channel -> {};
    private volatile AtomicInteger heldAnswers = new AtomicInteger();

    /** Called on a connection's event loop with its first command, before it runs. */
    void onFirstCommand(Consumer<Channel> action) {
      onFirstCommand = action;
    }

    /** Answers written but held (until a commit): the stop waits for them too. */
    void countHeldAnswers(AtomicInteger held) {
      heldAnswers = held;
    }

    /** True: run the command, then call leave(). False: the engine is stopping, refuse it. */
    boolean enter(Channel channel) {
      lastArrival = System.nanoTime();
      if (channel != null && channel.attr(RESET_ON_CLOSE).setIfAbsent(Boolean.TRUE) == null) {
        resetOnClose(channel);
        onFirstCommand.accept(channel);
      }
      running.incrementAndGet();
      if (closed) {
        running.decrementAndGet();
        return false;
      }
      return true;
    }

    void leave() {
      running.decrementAndGet();
    }

    /** No command runs, and none arrived for `nanos`. */
    boolean quietFor(long nanos) {
      return running.get() == 0 && System.nanoTime() - lastArrival >= nanos;
    }

    void close() {
      closed = true;
    }

    /** Until no command runs or waits to be answered and none arrived for quietMs, at most maxMs. */
    void awaitQuiet(long quietMs, long maxMs) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
      long quiet = TimeUnit.MILLISECONDS.toNanos(quietMs);
      while (System.nanoTime() < deadline) {
        if (running.get() == 0 && heldAnswers.get() == 0
            && System.nanoTime() - lastArrival >= quiet) {
          return;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Back-off the driver is asked to wait (at random, up to twice this) before running it again. */
  static final int RETRY_BACKOFF_MS = 1_000;

  /**
   * The answer to a command that arrives while the engine stops: not run. Code 91 makes the
   * driver mark the engine unknown and clear its pool; the overload labels make it run the command
   * again (reads and writes alike, mongodb 7.x) after a back-off, once a server is selectable, i.e.
   * once the engine restarted on the same port is back (within serverSelectionTimeoutMS). Safe to
   * run again, as it never ran here.
   */
  static Document refusal() {
    Document reply = new Document("ok", 0.0);
    reply.put("errmsg", "the server is shutting down; run the command again once it is back");
    reply.put("code", 91);
    reply.put("codeName", "ShutdownInProgress");
    reply.put("errorLabels", List.of("SystemOverloadedError", "RetryableError"));
    reply.put("baseBackoffMS", RETRY_BACKOFF_MS);
    return reply;
  }

  /** The answer once the store closed (a commit failed): not saved, never acknowledged. */
  static Document storeClosedError(MVStore store) {
    Document reply = new Document("ok", 0.0);
    reply.put("errmsg", closedMessage(store));
    reply.put("code", 1);
    reply.put("codeName", "InternalError");
    return reply;
  }

  static String closedMessage(MVStore store) {
    return "the store is closed, nothing more is saved (the engine restarts): " + closedReason(store);
  }

  static MongoServerError refusalError() {
    return new MongoServerError(91, "ShutdownInProgress",
        "the server is shutting down; run the query again once it is back");
  }

  /**
   * MongoDB's own write batch limit (100,000 operations a command since 3.6), in the handshake
   * answer instead of mongo-java-server's 1,000, which it advertises but never enforces. Drivers
   * split every bulk write at the advertised figure: at 1,000 each 1,000-operation batch of the app
   * went out as 999 + 1 commands, five extra round trips in every 1,000-event `recordInteractions`
   * call. The message-size limit still splits batches larger than 48 MB, as with MongoDB.
   */
  static final int MAX_WRITE_BATCH_SIZE = 100_000;

  static Document withWriteBatchSize(String command, Document answer) {
    String name = command.toLowerCase(Locale.ROOT);
    if (answer != null && (name.equals("hello") || name.equals("ismaster"))
        && answer.containsKey("maxWriteBatchSize")) {
      answer.put("maxWriteBatchSize", MAX_WRITE_BATCH_SIZE);
    }
    return answer;
  }

  /** The memory backend (tests), with the gate: a stop refuses new commands, as with H2. */
  static final class GatedMemoryBackend extends MemoryBackend {
    private final CommandGate gate;

    GatedMemoryBackend(CommandGate gate) {
      this.gate = gate;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
      if (!gate.enter(channel)) return refusal();
      try {
        return withWriteBatchSize(command, super.handleCommand(channel, databaseName, command, query));
      } finally {
        gate.leave();
      }
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
      if (!gate.enter(query.getChannel())) throw refusalError();
      try {
        return super.handleQuery(query);
      } finally {
        gate.leave();
      }
    }

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
      return new IdFirstMemoryDatabase(databaseName, getCursorRegistry());
    }
  }

  /**
   * Where a filter names `_id` by equality, the document is looked up by `_id` and the rest of the
   * filter matched on it alone, as MongoDB's planner does. Stock mongo-java-server uses an index
   * only for a filter naming exactly that index's fields, so `{_id, leadVersion}` scanned the whole
   * collection unless an index of exactly those fields existed; the app kept such an index for its
   * guarded writes, which every write then had to maintain. Answers null when the filter's `_id` is
   * not a plain value (an operator, a regular expression, a sub-document) or the collection has no
   * `_id` index: the stock plan then applies.
   */
  static <P> Iterable<P> idPositions(List<Index<P>> indexes, Document query) {
    if (query == null || query.size() < 2 || !isPlainId(query.get(ID_FIELD))) return null;
    Index<P> ids = idIndex(indexes);
    return ids == null ? null : ids.getPositions(new Document(ID_FIELD, query.get(ID_FIELD)));
  }

  /**
   * For a filter that is exactly `{_id: {$in: [plain values]}}`: the documents of those ids, from
   * the `_id` index, which are then the matches themselves (null otherwise). Stock finds them the
   * same way but then matches each one against the filter again, and `$in` matches by going down
   * its list (DefaultQueryMatcher), so a read of 1,000 ids compared up to a million pairs: the
   * reads by id of a 1,000-lead ingestion batch were about half of the engine's time while seeding.
   */
  static <P> Iterable<P> idInPositions(List<Index<P>> indexes, Document query) {
    if (query == null || query.size() != 1) return null;
    if (!(query.get(ID_FIELD) instanceof Document operator) || operator.size() != 1) return null;
    if (!(operator.get("$in") instanceof Collection<?> values)) return null;
    for (Object value : values) {
      if (!isPlainId(value)) return null;
    }
    Index<P> ids = idIndex(indexes);
    return ids == null ? null : ids.getPositions(query);
  }

  private static boolean isPlainId(Object id) {
    return id instanceof ObjectId || id instanceof String || id instanceof Integer || id instanceof Long;
  }

  private static <P> Index<P> idIndex(List<Index<P>> indexes) {
    for (Index<P> index : indexes) {
      List<IndexKey> keys = index.getKeys();
      if (index.isUnique() && keys.size() == 1 && keys.get(0).getKey().equals(ID_FIELD)) return index;
    }
    return null;
  }

  private static final String ID_FIELD = "_id";

  /** The filter of documents already known to match (idInPositions, sortedOnce): every document matches it. */
  static Document matchesAll() {
    return new Document();
  }

  /** Where to look (documents by position) and what to match them with; see idPlan. */
  record IdPlan<P>(Iterable<P> positions, Document filter) {}

  /** The `_id` lookup a query gets (idPositions, then idInPositions), or null for stock's plan. */
  static <P> IdPlan<P> idPlan(List<Index<P>> indexes, Document query) {
    Iterable<P> positions = idPositions(indexes, query);
    if (positions != null) return new IdPlan<>(positions, query);
    positions = idInPositions(indexes, query);
    return positions == null ? null : new IdPlan<>(positions, matchesAll());
  }

  /**
   * The documents that match `query` in `orderBy`'s order, as stock filters and sorts them
   * (DocumentComparator: the same values, the same comparators, the same stable sort of the same
   * sequence, so the same comparisons), with each document's sort value for a key read once, at its first comparison,
   * instead of again at every comparison: stock's comparator resolves each path again per
   * comparison (splitting it, checking it), about 30 times per document for 50,000. Read at first
   * use, as stock reads them, a value that cannot be read fails the same comparison stock's fails
   * (none for a single match, none for a later key that no tie reaches). A batch rescoring's walk
   * sorts the tenant's scores by `_id` (MongoDB walks the `_id` index in order instead): in a
   * Flight Recorder profile of the engine during rescorings of 50,000 leads, that sort was 13.6 %
   * of the engine's samples. Only for an `orderBy` stock sorts by values (sortsByValues).
   */
  static Stream<Document> sortedOnce(Stream<Document> documents, BiPredicate<Document, Document> matches,
      Document query, Document orderBy) {
    Stream<Document> matched = documents.filter(document -> matches.test(document, query));
    String[] keys = orderBy.keySet().toArray(new String[0]);
    ValueComparator[] comparators = new ValueComparator[keys.length];
    for (int k = 0; k < keys.length; k++) {
      comparators[k] = ((Number) orderBy.get(keys[k])).intValue() > 0 ? ValueComparator.asc() : ValueComparator.desc();
    }
    List<Document> list = matched.collect(Collectors.toList());
    int n = list.size();
    Object[][] values = new Object[n][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> {
      for (int k = 0; k < keys.length; k++) {
        Object first = sortValue(list, values, a, keys, k);
        Object second = sortValue(list, values, b, keys, k);
        int cmp = comparators[k].compare(first, second);
        if (cmp != 0) return cmp;
      }
      return 0;
    });
    List<Document> sorted = new ArrayList<>(n);
    for (Integer i : order) sorted.add(list.get(i));
    return sorted.stream();
  }

  /** A value not read yet (a stored value can be null). */
  private static final Object UNREAD = new Object();

  private static Object sortValue(List<Document> documents, Object[][] values, int i, String[] keys, int k) {
    Object[] read = values[i];
    if (read == null) {
      read = new Object[keys.length];
      Arrays.fill(read, UNREAD);
      values[i] = read;
    }
    if (read[k] == UNREAD) read[k] = Utils.getSubdocumentValueCollectionAware(documents.get(i), keys[k]);
    return read[k];
  }

  /** Whether stock would sort by `orderBy` (DocumentComparator), the case sortedOnce takes. */
  static boolean sortsByValues(Document orderBy) {
    if (orderBy == null || orderBy.isEmpty() || orderBy.keySet().iterator().next().equals("$natural")) return false;
    for (Object direction : orderBy.values()) {
      if (!(direction instanceof Number)) return false;
    }
    return true;
  }

  /**
   * A find's projection applied to each batch as it is taken, as MongoDB projects, where stock
   * mongo-java-server projects every match before the first batch goes out and holds the copies
   * until the cursor ends: a rescoring's walk of 100,000 scores had the engine copy all of them up
   * front, so the app read whole documents there instead and decoded twice the bytes it used, and a
   * ranking rebuild's walk of a million scores held a million copies. Stock's own Projection does
   * the work (the same fields); only the moment changes. Null where stock's plan applies: no
   * projection, no batch size (everything goes in the first batch anyway), a projection with an
   * operator ($slice, $elemMatch, $meta: their errors can depend on the document, and stock raises
   * them at the find), or stock's Projection not found (another mongo-java-server version).
   */
  static UnaryOperator<Document> projectionByBatch(Document fieldSelector, String idField, int batchSize) {
    if (fieldSelector == null || fieldSelector.isEmpty() || batchSize <= 0 || PROJECT_DOCUMENT == null) return null;
    for (Object value : fieldSelector.values()) {
      if (!(value instanceof Boolean || value instanceof Number)) return null;
    }
    Object projection = newProjection(fieldSelector, idField); // checks the fields now, as stock
    return document -> projectDocument(projection, document);
  }

  /** Stock's `matchDocumentsFromStream` after its sort is chosen (the superclass's), for sortedAndProjected. */
  @FunctionalInterface
  interface StockMatch {
    QueryResult match(Document query, Stream<Document> documents, int skip, int limit, int batchSize,
        Comparator<Document> order, Document fields);
  }

  /**
   * A find's matches, sorted once (sortedOnce) where stock would sort by values, then skipped,
   * limited and batched by stock (`stock`, with stock's comparator `order` otherwise), projected
   * batch by batch where projectionByBatch says so, else by stock.
   */
  static QueryResult sortedAndProjected(Stream<Document> documents, Document query, Document orderBy, int skip,
      int limit, int batchSize, Document fields, BiPredicate<Document, Document> matches, Comparator<Document> order,
      String idField, AbstractMongoCollection<?> collection, CursorRegistry cursors, StockMatch stock) {
    if (sortsByValues(orderBy)) {
      documents = sortedOnce(documents, matches, query, orderBy);
      query = matchesAll();
    }
    UnaryOperator<Document> projection = projectionByBatch(fields, idField, batchSize);
    if (projection == null) return stock.match(query, documents, skip, limit, batchSize, order, fields);
    QueryResult matched = stock.match(query, documents, skip, limit, 0, order, null);
    return projectedInBatches(matched, batchSize, projection, collection, cursors);
  }

  /**
   * The matches of a find (taken from stock without its projection), in batches projected as they
   * are taken; no cursor when they fit in the first batch.
   */
  static QueryResult projectedInBatches(QueryResult matched, int batchSize, UnaryOperator<Document> projection,
      AbstractMongoCollection<?> collection, CursorRegistry cursors) {
    List<Document> documents = matched.collectDocuments();
    int first = Math.min(batchSize, documents.size());
    List<Document> firstBatch = new ArrayList<>(first);
    synchronized (collection) {
      for (int i = 0; i < first; i++) firstBatch.add(projection.apply(documents.get(i)));
    }
    if (first == documents.size()) return new QueryResult(firstBatch);
    Document[] rest = documents.subList(first, documents.size()).toArray(new Document[0]);
    Cursor cursor = new ProjectingCursor(cursors.generateCursorId(), rest, projection, collection);
    cursors.add(cursor);
    return new QueryResult(firstBatch, cursor);
  }

  /**
   * A cursor whose documents are projected as each batch is taken, under the collection's lock
   * (the memory and H2 collections change a stored document's fields in place, under that lock).
   * A document's fields are those it has when its batch is taken (on H2, while its page is in the
   * cache; a page read back holds new copies); a document deleted or changed to no longer match
   * after the find is still returned, as stock returns it. Entries are dropped as they are taken.
   */
  static final class ProjectingCursor extends AbstractCursor {
    private final Document[] documents;
    private int next;
    private final UnaryOperator<Document> projection;
    private final AbstractMongoCollection<?> collection;

    ProjectingCursor(long id, Document[] documents, UnaryOperator<Document> projection,
        AbstractMongoCollection<?> collection) {
      super(id);
      this.documents = documents;
      this.projection = projection;
      this.collection = collection;
    }

    @Override
    public synchronized boolean isEmpty() {
      return next == documents.length;
    }

    /** The next `numberToReturn` (0: all that are left, as MongoDB's default batch), projected. */
    @Override
    public synchronized List<Document> takeDocuments(int numberToReturn) {
      if (numberToReturn < 0) {
        throw new MongoServerError(51024, "BadValue: batchSize must be non-negative, but received: " + numberToReturn);
      }
      int count = numberToReturn == 0 ? documents.length - next : Math.min(numberToReturn, documents.length - next);
      List<Document> batch = new ArrayList<>(count);
      synchronized (collection) {
        for (int i = next; i < next + count; i++) batch.add(projection.apply(documents[i]));
      }
      // Only once the whole batch is projected: a batch that fails is not skipped.
      for (int i = next; i < next + count; i++) documents[i] = null;
      next += count;
      return batch;
    }
  }

  /** Stock's package-private Projection (the launcher runs on the class path, without modules). */
  private static final MethodHandle NEW_PROJECTION;
  private static final MethodHandle PROJECT_DOCUMENT;

  static {
    MethodHandle create = null;
    MethodHandle project = null;
    try {
      Class<?> type = Class.forName("de.bwaldvogel.mongo.backend.Projection");
      Constructor<?> constructor = type.getDeclaredConstructor(Document.class, String.class);
      constructor.setAccessible(true);
      Method method = type.getDeclaredMethod("projectDocument", Document.class);
      method.setAccessible(true);
      create = MethodHandles.lookup().unreflectConstructor(constructor)
          .asType(MethodType.methodType(Object.class, Document.class, String.class));
      project = MethodHandles.lookup().unreflect(method)
          .asType(MethodType.methodType(Document.class, Object.class, Document.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("WARN projections are made at the find, as stock does: " + e);
      create = null;
      project = null;
    }
    NEW_PROJECTION = create;
    PROJECT_DOCUMENT = project;
  }

  private static Object newProjection(Document fields, String idField) {
    return unchecked(() -> (Object) NEW_PROJECTION.invokeExact(fields, idField));
  }

  private static Document projectDocument(Object projection, Document document) {
    return (Document) unchecked(() -> (Document) PROJECT_DOCUMENT.invokeExact(projection, document));
  }

  /** A method handle's call; what it throws reaches the client as thrown (a MongoServerError's code). */
  @FunctionalInterface
  interface HandleCall {
    Object call() throws Throwable;
  }

  private static Object unchecked(HandleCall handle) {
    try {
      return handle.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  static final class IdFirstMemoryDatabase extends MemoryDatabase {
    IdFirstMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
      super(databaseName, cursorRegistry);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
      return new IdFirstMemoryCollection(this, collectionName, options, cursorRegistry);
    }
  }

  /** A memory collection that finds documents by `_id` first, sorts once and projects by batch. */
  static final class IdFirstMemoryCollection extends MemoryCollection {
    IdFirstMemoryCollection(
        MongoDatabase database, String collectionName, CollectionOptions options, CursorRegistry cursors) {
      super(database, collectionName, options, cursors);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
        int batchSize, Document fieldSelector) {
      IdPlan<Integer> plan = idPlan(getIndexes(), query);
      if (plan == null) return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
      return matchDocuments(plan.filter(), plan.positions(), orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** Every find of this collection comes here (stock's plans, the `_id` plans): see sortedAndProjected. */
    @Override
    protected QueryResult matchDocumentsFromStream(Stream<Document> documents, Document query, Document orderBy,
        int skip, int limit, int batchSize, Document fields) {
      return sortedAndProjected(documents, query, orderBy, skip, limit, batchSize, fields, this::documentMatchesQuery,
          sortsByValues(orderBy) ? null : deriveComparator(orderBy), getIdField(), this, cursorRegistry,
          (q, d, s, l, b, o, f) -> super.matchDocumentsFromStream(q, d, s, l, b, o, f));
    }
  }

  /**
   * H2Database whose collections are IdFirstH2Collections, on the maps H2Database itself would
   * open for them (the map names of mongo-java-server 1.47.0's H2Database, the pinned version).
   * The store comes through a thread-local because H2Database's constructor opens the existing
   * collections before a subclass could keep it in a field.
   */
  static final class IdFirstH2Database extends H2Database {
    private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();
    private MVStore store;

    IdFirstH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
      super(databaseName, remember(store), cursorRegistry);
      this.store = store;
      OPENING.remove();
    }

    private static MVStore remember(MVStore store) {
      OPENING.set(store);
      return store;
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
      MVStore mvStore = store != null ? store : OPENING.get();
      String fullName = getFullCollectionNamespace(collectionName);
      MVMap<Object, Document> dataMap = mvStore.openMap("databases." + fullName);
      MVMap<String, Object> metaMap = mvStore.openMap("meta." + fullName);
      return new IdFirstH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
    }
  }

  /** An H2 collection that finds documents by `_id` first, sorts once and projects by batch. */
  static final class IdFirstH2Collection extends H2Collection {
    IdFirstH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
        MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursors) {
      super(database, collectionName, options, dataMap, metaMap, cursors);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
        int batchSize, Document fieldSelector) {
      IdPlan<Object> plan = idPlan(getIndexes(), query);
      if (plan == null) return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
      return matchDocuments(plan.filter(), plan.positions(), orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** Every find of this collection comes here (stock's plans, the `_id` plans): see sortedAndProjected. */
    @Override
    protected QueryResult matchDocumentsFromStream(Stream<Document> documents, Document query, Document orderBy,
        int skip, int limit, int batchSize, Document fields) {
      return sortedAndProjected(documents, query, orderBy, skip, limit, batchSize, fields, this::documentMatchesQuery,
          sortsByValues(orderBy) ? null : deriveComparator(orderBy), getIdField(), this, cursorRegistry,
          (q, d, s, l, b, o, f) -> super.matchDocumentsFromStream(q, d, s, l, b, o, f));
    }

  }

  /**
   * Commands that never change the store (lower case). Any other command, unknown ones included,
   * counts as a write. A read still waits for the commit of the writes that finished before it, so
   * nothing a client is told about can be lost by a kill.
   */
  static final Set<String> READ_ONLY_COMMANDS = Set.of(
      "find", "getmore", "count", "distinct", "listcollections", "listindexes", "listdatabases",
      "dbstats", "collstats", "datasize", "ping", "hello", "ismaster", "buildinfo", "serverstatus",
      "whatsmyuri", "killcursors", "endsessions", "explain", "getparameter", "connectionstatus",
      "hostinfo", "getcmdlineopts", "getlog", "features", "currentop", "getlasterror", "validate");

  /** Commands that touch no data: still answered once the store closed (see DurableH2Backend). */
  static final Set<String> MONITORING_COMMANDS =
      Set.of("ismaster", "hello", "ping", "buildinfo", "whatsmyuri");

  /** Whether a command may change the store: not a read-only one, or an aggregate with $out/$merge. */
  static boolean mayWrite(String command, Document query) {
    String name = command.toLowerCase(Locale.ROOT);
    if (name.equals("aggregate")) {
      Object pipeline = query == null ? null : query.get("pipeline");
      if (!(pipeline instanceof Collection<?> stages)) return false;
      for (Object stage : stages) {
        if (stage instanceof Document document
            && (document.containsKey("$out") || document.containsKey("$merge"))) {
          return true;
        }
      }
      return false;
    }
    return !READ_ONLY_COMMANDS.contains(name);
  }

  /**
   * The H2 backend, durable: a command's answer goes out only once what it wrote, and what every
   * command that finished before it wrote, is committed to the file (see the class comment,
   * "Durability"), and every committed version lies between commands.
   *
   * Every request the server answers goes through handleCommand (OP_MSG, i.e. every command of
   * current drivers, and OP_QUERY on "$cmd") or handleQuery (legacy OP_QUERY finds), on the
   * connection's event loop, which writes the answer as soon as they return. Commands run side by
   * side under the read side of a read-write lock; a command that may write counts itself finished
   * (`finished`) before it leaves. Its answer is then held by the connection's {@link
   * DeferredReplies} until `committed` (how many finished writes a commit saved) reaches the count
   * the command saw when it ended; meanwhile the event loop goes on with other commands. One
   * committer thread commits as soon as an answer waits: it takes the write side (commands half done
   * finish first, new ones wait: every committed version lies between commands), commits whatever
   * finished, releases the write side, and hands every waiting connection back to its event loop,
   * which sends the answers now covered, in order. Commands that finish during a commit wait for the
   * next one, which covers all of them: that is the grouping. Nothing inside a command waits for
   * the committer, so the write side is always granted.
   *
   * Housekeeping, which H2's background writer did. Once a second the committer rewrites the live
   * pages of mostly-empty chunks while commands go on (MVMap allows it; a bounded amount under load,
   * more when no answer waited for a second), and the next commit saves them, so the old chunks die;
   * when nothing was asked for a second and the file is mostly holes, it also moves chunks down and
   * shrinks the file, under the write side. A thread of its own fsyncs the file once a second when
   * something was committed, off every answer's path. Dead chunks are reused at once and only the
   * last version is kept, rather than H2's 45 s and 5 versions: a commit per group writes a chunk
   * each time, and 45 s of them grew the file by hundreds of megabytes under a sustained load. Once
   * a commit failed (the store closed), data commands are answered with an error, and so are the
   * answers it should have covered; the handshake and monitoring commands still work until the
   * engine exits (see watchStore), so clients get these errors at once.
   *
   * Measured with 8 clients writing as fast as they can for 20 s (stock: about 1 KB of file per
   * write): 2 to 5 KB per write, and in one run 69 MB down to 11 MB within 4 s of the pause.
   */
  static final class DurableH2Backend extends H2Backend {
    private static final long HOUSEKEEPING_INTERVAL_MS = 1_000;
    /** Chunks at most this full (%) have their live pages rewritten; bytes per second, busy/idle. */
    private static final int COMPACT_FILL_RATE = 60;
    private static final int COMPACT_BYTES_BUSY = 1 << 20;
    private static final int COMPACT_BYTES_IDLE = 8 << 20;
    /** A file at most this full (%) gets its chunks moved into the holes, when idle. */
    private static final int MOVE_BELOW_FILL_RATE = 70;
    /** Dead chunks are reused at once (H2: after 45 s), and only the last version is kept. */
    static final int RETENTION_MS = 0;
    private static final int VERSIONS_TO_KEEP = 1;
    /** Keys per B-tree page (H2: 48): a commit rewrites whole pages, smaller ones cost less. */
    static final int KEYS_PER_PAGE = 16;

    /** The commit target of the answer being written on this thread (see handleCommand). */
    private static final ThreadLocal<long[]> ANSWER_TARGET = ThreadLocal.withInitial(() -> new long[1]);

    private final MVStore store;
    private final CommandGate gate;
    private final ReentrantReadWriteLock commands = new ReentrantReadWriteLock();
    /** Writes finished (in memory), and how many of them a commit has saved. */
    private final AtomicLong finished = new AtomicLong();
    private volatile long committed;
    /** Answers held until a commit; the connections holding them (guarded by `waiting`). */
    final AtomicInteger heldAnswers = new AtomicInteger();
    private final java.util.LinkedHashSet<DeferredReplies> waiting = new java.util.LinkedHashSet<>();
    private long requested;
    private long lastRequest = System.nanoTime();
    private volatile boolean closing;
    /** A commit failed (the store closed): nothing more is acknowledged, everything answers an error. */
    private volatile boolean failed;
    private final Thread committer;

    DurableH2Backend(MVStore store, CommandGate gate) {
      super(store);
      this.store = store;
      this.gate = gate;
      store.setRetentionTime(RETENTION_MS);
      store.setVersionsToKeep(VERSIONS_TO_KEEP);
      // Whatever opening the databases wrote (nothing, usually).
      commitNow();
      gate.onFirstCommand(channel -> channel.pipeline().addLast(new DeferredReplies(this)));
      gate.countHeldAnswers(heldAnswers);
      committer = new Thread(this::commitLoop, "h2-store-committer");
      committer.setDaemon(true);
      committer.start();
      Thread syncer = new Thread(this::syncLoop, "h2-store-fsync");
      syncer.setDaemon(true);
      syncer.start();
    }

    /**
     * Databases whose collections find a document by `_id` first (see idPositions). Called from
     * H2Backend's constructor for the databases already in the file, before this class's fields
     * are set: it uses only what H2Backend holds.
     */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
      return new IdFirstH2Database(databaseName, getMvStore(), getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
      if (!gate.enter(channel)) return refusal();
      try {
        if (failed && !MONITORING_COMMANDS.contains(command.toLowerCase(Locale.ROOT))) {
          // The store is closed: the engine exits in a moment. Data commands fail at once; the
          // handshake and monitoring commands still work, so that clients keep the engine
          // selectable and get these errors rather than wait for a server until it is gone.
          ANSWER_TARGET.get()[0] = 0;
          return storeClosedError(store);
        }
        boolean write = mayWrite(command, query);
        boolean monitoring = MONITORING_COMMANDS.contains(command.toLowerCase(Locale.ROOT));
        commands.readLock().lock();
        try {
          return withWriteBatchSize(command, super.handleCommand(channel, databaseName, command, query));
        } finally {
          // A command that failed may have written part of its work: its error waits for the
          // commit too, as the answer of a write that succeeded would. Monitoring answers tell
          // nothing about the data: they never wait.
          if (write) finished.incrementAndGet();
          commands.readLock().unlock();
          ANSWER_TARGET.get()[0] = monitoring ? 0 : finished.get();
        }
      } finally {
        gate.leave();
      }
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
      if (!gate.enter(query.getChannel())) throw refusalError();
      try {
        if (failed) throw new MongoServerError(1, "InternalError", closedMessage(store));
        commands.readLock().lock();
        try {
          return super.handleQuery(query);
        } finally {
          commands.readLock().unlock();
          ANSWER_TARGET.get()[0] = finished.get();
        }
      } finally {
        gate.leave();
      }
    }

    /** The commit target of the answer now written on this thread (0: none), cleared. */
    static long takeAnswerTarget() {
      long[] target = ANSWER_TARGET.get();
      long value = target[0];
      target[0] = 0;
      return value;
    }

    boolean isCommitted(long target) {
      return committed >= target;
    }

    boolean hasFailed() {
      return failed;
    }

    MVStore store() {
      return store;
    }

    /** A connection holds answers up to `target`: commit, then hand it back to its event loop. */
    void requestCommit(DeferredReplies replies, long target) {
      synchronized (waiting) {
        waiting.add(replies);
        lastRequest = System.nanoTime();
        if (target > requested) requested = target;
        waiting.notifyAll();
      }
    }

    private void commitLoop() {
      long interval = TimeUnit.MILLISECONDS.toNanos(HOUSEKEEPING_INTERVAL_MS);
      long lastHousekeeping = System.nanoTime();
      while (true) {
        boolean idle;
        boolean housekeeping;
        synchronized (waiting) {
          while (!closing && requested <= committed && waiting.isEmpty()) {
            long left = interval - (System.nanoTime() - lastHousekeeping);
            if (left <= 0) break;
            try {
              waiting.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
              return;
            }
          }
          if (closing) return;
          long now = System.nanoTime();
          idle = requested <= committed && waiting.isEmpty() && now - lastRequest >= interval;
          housekeeping = now - lastHousekeeping >= interval;
        }
        if (housekeeping) {
          lastHousekeeping = System.nanoTime();
          try {
            // The live pages of mostly-empty chunks are rewritten while commands go on (MVMap
            // allows it): the commit below saves them with the group, and the chunks die.
            if (!store.isClosed()) store.compact(COMPACT_FILL_RATE, idle ? COMPACT_BYTES_IDLE : COMPACT_BYTES_BUSY);
          } catch (RuntimeException | Error error) {
            if (!closing && !store.isClosed()) {
              System.err.println("h2 compaction failed: " + summary(error));
              System.err.flush();
            }
          }
        }
        boolean saved = true;
        commands.writeLock().lock();
        try {
          long upTo = finished.get();
          commitNow();
          committed = upTo;
          if (idle && store.getFileStore() instanceof org.h2.mvstore.RandomAccessStore file
              && file.getFillRate() < MOVE_BELOW_FILL_RATE) {
            // Nothing asked for a second: move chunks down into the holes and shrink the file (it
            // commits, and fsyncs, by itself; no command runs meanwhile).
            file.compactMoveChunks(101, COMPACT_BYTES_IDLE, store);
          }
        } catch (RuntimeException | Error error) {
          saved = !store.isClosed();
          if (!saved) failed = true;
          if (!closing) {
            System.err.println("h2 commit failed: " + summary(error));
            System.err.flush();
          }
        } finally {
          commands.writeLock().unlock();
        }
        List<DeferredReplies> ready;
        synchronized (waiting) {
          ready = new ArrayList<>(waiting);
          waiting.clear();
        }
        long upTo = committed;
        for (DeferredReplies replies : ready) {
          if (saved) replies.releaseLater(upTo);
          else replies.failLater();
        }
        // A failed commit closed the store: the engine exits (code 3, see watchStore).
        if (!saved) return;
      }
    }

    private void syncLoop() {
      long versionSynced = store.getCurrentVersion();
      while (!closing && !store.isClosed()) {
        try {
          Thread.sleep(HOUSEKEEPING_INTERVAL_MS);
          long version = store.getCurrentVersion();
          if (version != versionSynced && !closing && !store.isClosed()) {
            store.sync();
            versionSynced = version;

          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException | Error error) {
          if (closing || store.isClosed()) return;
          System.err.println("h2 fsync failed: " + summary(error));
          System.err.flush();
        }
      }
    }

    @Override
    public void close() {
      // The server closes the backend once its event loops ended (no command runs): commit what
      // is left, then close the store cleanly (it commits too, and marks the file closed).
      synchronized (waiting) {
        closing = true;
        waiting.notifyAll();
      }
      try {
        committer.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      commands.writeLock().lock();
      try {
        if (!store.isClosed()) store.commit();
        super.close();
      } finally {
        commands.writeLock().unlock();
      }
    }

    /** Commits (a no-op without changes); throws when the store cannot save them. */
    private void commitNow() {
      if (store.isClosed()) {
        throw new MongoServerException("the store is closed, nothing more is saved: "
            + closedReason(store));
      }
      try {
        store.commit();
      } catch (RuntimeException | Error error) {
        // H2 closes its store when a commit fails (e.g. a StackOverflowError serializing a document
        // nested too deep): the answers waiting are never sent, and the engine exits (code 3).
        throw new MongoServerException("the write could not be saved: " + summary(error), error);
      }
      if (store.isClosed()) {
        throw new MongoServerException("the store is closed, nothing more is saved: "
            + closedReason(store));
      }
    }
  }

  /**
   * Last in a connection's pipeline, so the first to see an answer (the server's MongoMessage or
   * MongoReply, before encoding): holds each answer until the commit that covers it, and sends
   * them in order (see {@link DurableH2Backend}). Once a commit failed, the answers it should have
   * covered, and every later one, are replaced by an error: nothing more is acknowledged, and the
   * client is told at once (its next commands too, until the engine exits). Confined to the
   * connection's event loop, except releaseLater/failLater, which hand over to it.
   */
  static final class DeferredReplies extends ChannelOutboundHandlerAdapter {
    private record Held(Object message, ChannelPromise promise, long target) {}

    private final DurableH2Backend backend;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private ChannelHandlerContext context;

    DeferredReplies(DurableH2Backend backend) {
      this.backend = backend;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      this.context = context;
    }

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
      long target = DurableH2Backend.takeAnswerTarget();
      if (held.isEmpty() && backend.isCommitted(target)) {
        context.write(message, promise);
        return;
      }
      if (backend.hasFailed()) {
        // Written after the failed commit: depends on writes that will never be saved.
        fail();
        context.write(failed(message), promise);
        return;
      }
      held.add(new Held(message, promise, target));
      backend.heldAnswers.incrementAndGet();
      backend.requestCommit(this, target);
    }

    void releaseLater(long committed) {
      execute(() -> release(committed));
    }

    void failLater() {
      execute(this::fail);
    }

    private void execute(Runnable task) {
      try {
        context.channel().eventLoop().execute(task);
      } catch (RuntimeException stopped) {
        // The event loop is shutting down: the connection is being closed anyway.
      }
    }

    /** Sends the answers the commit covers, in order; asks again for the rest. */
    private void release(long committed) {
      boolean wrote = false;
      while (!held.isEmpty() && held.peek().target() <= committed) {
        Held answer = held.poll();
        backend.heldAnswers.decrementAndGet();
        context.write(answer.message(), answer.promise());
        wrote = true;
      }
      if (wrote) context.flush();
      if (!held.isEmpty()) backend.requestCommit(this, held.peekLast().target());
    }

    /** The commit failed: what it covered is not saved, so every answer held becomes an error. */
    private void fail() {
      while (!held.isEmpty()) {
        Held answer = held.poll();
        backend.heldAnswers.decrementAndGet();
        context.write(failed(answer.message()), answer.promise());
      }
      context.flush();
    }

    /** The error that replaces an answer once the store is closed. */
    private Object failed(Object message) {
      Document error = storeClosedError(backend.store());
      if (message instanceof MongoMessage answer) {
        return new MongoMessage(answer.getChannel(), answer.getHeader(), error);
      }
      if (message instanceof MongoReply answer) return new MongoReply(answer.getHeader(), error);
      return message;
    }
  }
}
