package cn.govdata.search;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a throw-away SolrCloud on 127.0.0.1: an embedded ZooKeeper, N Solr nodes in this JVM, our
 * configset uploaded as "govdata" and one collection created from it. For the SolrCloud test and
 * for trying CKAN against SolrCloud locally; production runs the official image.
 *
 * <p>Usage: {@code SolrCloudLauncher <base-dir> <configset-conf-dir> [--nodes 2] [--shards 2]
 * [--replicas 2] [--collection ckan] [--port 0]}. {@code --port P} puts node i on P+i-1; 0 picks
 * free ports. The base directory is wiped first: the cluster keeps nothing between runs.
 *
 * <p>It prints one line per fact on stdout ({@code ZK host:port}, {@code NODE i url}, {@code
 * READY collection}) and then reads commands on stdin, each answered by one line: {@code stop i}
 * (stops node i and waits until every shard has a live leader again), {@code start i}, {@code
 * status}, {@code shutdown}. End of input or SIGTERM shuts the cluster down.
 */
public final class SolrCloudLauncher {
  private static final Logger log = LoggerFactory.getLogger(SolrCloudLauncher.class);
  private static final String CONFIGSET = "govdata";
  private static final int WAIT_SECONDS = 120;

  private final MiniSolrCloudCluster cluster;
  private final String collection;
  private final int shards;
  private final int replicas;
  /** Node number (1-based) to its runner, stopped or not, so that "start i" can bring it back. */
  private final Map<Integer, JettySolrRunner> nodes = new HashMap<>();

  private SolrCloudLauncher(MiniSolrCloudCluster cluster, String collection, int shards, int replicas) {
    this.cluster = cluster;
    this.collection = collection;
    this.shards = shards;
    this.replicas = replicas;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage();
    }
    Path base = Path.of(args[0]).toAbsolutePath().normalize();
    Path configset = Path.of(args[1]).toAbsolutePath().normalize();
    Map<String, String> options = options(args);
    int nodeCount = Integer.parseInt(options.getOrDefault("nodes", "2"));
    int shards = Integer.parseInt(options.getOrDefault("shards", "2"));
    int replicas = Integer.parseInt(options.getOrDefault("replicas", "2"));
    int firstPort = Integer.parseInt(options.getOrDefault("port", "0"));
    String collection = options.getOrDefault("collection", "ckan");
    if (!Files.isRegularFile(configset.resolve("solrconfig.xml"))) {
      System.err.println("no solrconfig.xml in " + configset);
      System.exit(2);
    }

    wipe(base);
    // No node yet: the nodes get their own ports below.
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster(
            0, base, MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML, JettyConfig.builder().build());
    SolrCloudLauncher launcher = new SolrCloudLauncher(cluster, collection, shards, replicas);
    Runtime.getRuntime().addShutdownHook(new Thread(launcher::shutdown, "solrcloud-shutdown"));
    say("ZK " + cluster.getZkServer().getZkAddress());
    try {
      launcher.start(nodeCount, firstPort, configset);
    } catch (Exception e) {
      log.error("SolrCloud did not start", e);
      System.err.println("SolrCloud did not start: " + e);
      System.exit(1);
    }
    launcher.serveCommands();
    System.exit(0);
  }

  private void start(int nodeCount, int firstPort, Path configset) throws Exception {
    for (int number = 1; number <= nodeCount; number++) {
      int port = firstPort == 0 ? 0 : firstPort + number - 1;
      JettyConfig config = JettyConfig.builder().setPort(port).setContext("/solr").build();
      JettySolrRunner node = cluster.startJettySolrRunner("node" + number, "/solr", config);
      nodes.put(number, node);
      say("NODE " + number + " " + node.getBaseUrl());
    }
    cluster.waitForAllNodes(WAIT_SECONDS);
    cluster.uploadConfigSet(configset, CONFIGSET);
    CollectionAdminRequest.createCollection(collection, CONFIGSET, shards, replicas)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(collection, WAIT_SECONDS, TimeUnit.SECONDS, shards, shards * replicas);
    layout().forEach(SolrCloudLauncher::say);
    say("READY " + collection);
  }

  private void serveCommands() throws IOException {
    BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = input.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      try {
        switch (words[0]) {
          case "stop" -> stopNode(Integer.parseInt(words[1]));
          case "start" -> startNode(Integer.parseInt(words[1]));
          case "status" -> {
            layout().forEach(SolrCloudLauncher::say);
            say("OK status");
          }
          case "shutdown" -> {
            return;
          }
          case "" -> {}
          default -> say("ERROR unknown command: " + line.trim());
        }
      } catch (Exception e) {
        log.error("Command failed: {}", line, e);
        say("ERROR " + line.trim() + ": " + e);
      }
    }
  }

  private void stopNode(int number) throws Exception {
    JettySolrRunner node = runner(number);
    cluster.stopJettySolrRunner(node);
    cluster.waitForJettyToStop(node);
    // Searches and updates work again once every shard has elected a leader on a live node.
    cluster
        .getZkStateReader()
        .waitForState(collection, WAIT_SECONDS, TimeUnit.SECONDS, this::everyShardLed);
    say("STOPPED " + number);
  }

  private void startNode(int number) throws Exception {
    JettySolrRunner node = runner(number);
    cluster.startJettySolrRunner(node, true);
    cluster.waitForNode(node, WAIT_SECONDS);
    cluster.waitForActiveCollection(collection, WAIT_SECONDS, TimeUnit.SECONDS, shards, shards * replicas);
    say("STARTED " + number + " " + node.getBaseUrl());
  }

  private JettySolrRunner runner(int number) {
    JettySolrRunner node = nodes.get(number);
    if (node == null) {
      throw new IllegalArgumentException("no node " + number + "; nodes are 1.." + nodes.size());
    }
    return node;
  }

  private boolean everyShardLed(Set<String> liveNodes, DocCollection state) {
    if (state == null) {
      return false;
    }
    for (Slice slice : state.getSlices()) {
      Replica leader = slice.getLeader();
      if (leader == null
          || leader.getState() != Replica.State.ACTIVE
          || !liveNodes.contains(leader.getNodeName())) {
        return false;
      }
    }
    return true;
  }

  /** One line per replica: which node holds which shard, and whether it leads. */
  private List<String> layout() {
    List<String> lines = new ArrayList<>();
    DocCollection state = cluster.getZkStateReader().getClusterState().getCollectionOrNull(collection);
    if (state == null) {
      return lines;
    }
    Set<String> liveNodes = cluster.getZkStateReader().getClusterState().getLiveNodes();
    for (Slice slice : state.getSlices()) {
      for (Replica replica : slice.getReplicas()) {
        boolean live = liveNodes.contains(replica.getNodeName());
        lines.add(
            "REPLICA " + slice.getName() + " " + replica.getBaseUrl() + " "
                + (live ? replica.getState().toString().toLowerCase() : "down")
                + (replica.equals(slice.getLeader()) ? " leader" : ""));
      }
    }
    return lines;
  }

  private synchronized void shutdown() {
    try {
      log.info("Shutting down SolrCloud");
      cluster.shutdown();
    } catch (Exception e) {
      log.error("Error while shutting down SolrCloud", e);
    } finally {
      LogManager.shutdown();
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 2; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        usage();
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private static void wipe(Path base) throws IOException {
    if (!Files.exists(base)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(base)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void usage() {
    System.err.println(
        "usage: SolrCloudLauncher <base-dir> <configset-conf-dir> [--nodes 2] [--shards 2]"
            + " [--replicas 2] [--collection ckan] [--port 0]");
    System.exit(2);
  }
}
