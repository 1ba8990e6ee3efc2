import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Starts mongo-java-server on a loopback port for local runs and tests.
 *
 * Usage: MongoJavaServerLauncher --port N [--h2 FILE]
 *   --port 0 picks a free port. Without --h2 the data lives in memory.
 *
 * Prints one line "READY port=N backend=memory|h2" when it accepts connections.
 * Exits when its standard input closes, so a parent that dies (even by SIGKILL)
 * never leaves an orphan engine behind; SIGTERM also shuts it down cleanly.
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

    MongoBackend backend = h2File == null ? new MemoryBackend() : new H2Backend(h2File);
    backend.version(ADVERTISED_VERSION);
    MongoServer server = new MongoServer(backend);
    server.bind(new InetSocketAddress("127.0.0.1", port));
    Object stopLock = new Object();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (stopLock) {
        server.shutdown();
      }
    }));

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
}
