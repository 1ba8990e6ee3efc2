import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import org.h2.mvstore.MVStore;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts mongo-java-server on a loopback port for local runs and tests.
 *
 * Usage: MongoJavaServerLauncher --port N [--h2 FILE]
 *   --port 0 picks a free port. Without --h2 the data lives in memory.
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

  public static void main(String[] args) throws Exception {
    int port = 0;
    String h2File = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--h2" -> h2File = args[++i];
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
        }
      }
    }

    H2Backend h2 = h2File == null ? null : new H2Backend(h2File);
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
