import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * Runs a whole KRaft cluster in this one JVM (a 2-core machine cannot afford one JVM per broker):
 * formats each node's storage, starts node 0 (broker + controller) and then the broker-only nodes,
 * prints "ready" on stdout once every node's startup() returned (a broker's returns when it is
 * unfenced), and serves until SIGTERM or until its stdin closes (the parent died). On the way out
 * it stops the nodes and deletes the data folder.
 *
 * usage: MeshformKafka <data-dir> <cluster-id> <node-0.properties> [<node-n.properties>...]
 */
public final class MeshformKafka {
  private MeshformKafka() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: MeshformKafka <data-dir> <cluster-id> <node.properties>...");
      System.exit(2);
    }
    Path data = Paths.get(args[0]);
    String clusterId = args[1];
    List<KafkaRaftServer> servers = new ArrayList<>();
    AtomicBoolean stopped = new AtomicBoolean(false);
    Runnable stop = () -> {
      if (!stopped.compareAndSet(false, true)) return;
      // Broker-only nodes first, the controller last, so the brokers can still reach it.
      for (int i = servers.size() - 1; i >= 0; i--) {
        try {
          servers.get(i).shutdown();
          servers.get(i).awaitShutdown();
        } catch (Throwable t) {
          System.err.println("meshform-kafka: stopping node " + i + ": " + t);
        }
      }
      deleteQuietly(data);
    };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "meshform-kafka-stop"));
    watchStdin();

    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    for (int i = 2; i < args.length; i++) {
      int code = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", args[i]}, quiet);
      if (code != 0) throw new IllegalStateException("formatting " + args[i] + " failed (" + code + ")");
    }
    for (int i = 2; i < args.length; i++) servers.add(new KafkaRaftServer(KafkaConfig.fromProps(load(args[i]), false), Time.SYSTEM));
    // Node 0 holds the controller: the brokers' startup() waits for it, so it starts first.
    servers.get(0).startup();
    List<Thread> starting = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int i = 1; i < servers.size(); i++) {
      KafkaRaftServer server = servers.get(i);
      Thread t = new Thread(() -> {
        try {
          server.startup();
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }, "meshform-kafka-start-" + i);
      t.start();
      starting.add(t);
    }
    for (Thread t : starting) t.join();
    if (!failures.isEmpty()) throw new IllegalStateException("a broker did not start", failures.get(0));
    System.out.println("ready");
    System.out.flush();
    for (KafkaRaftServer server : servers) server.awaitShutdown();
  }

  private static Properties load(String file) throws IOException {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(Paths.get(file))) {
      props.load(in);
    }
    return props;
  }

  /** The parent keeps our stdin open; end-of-file means it is gone, so nothing outlives it. */
  private static void watchStdin() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // nothing is ever sent; wait for end-of-file
        }
      } catch (IOException ignored) {
        // treated as end-of-file
      }
      System.exit(0);
    }, "meshform-kafka-stdin");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("meshform-kafka: could not delete " + root + ": " + e);
    }
  }
}
