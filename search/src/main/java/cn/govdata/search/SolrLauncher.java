package cn.govdata.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.logging.log4j.LogManager;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one standalone Solr node on 127.0.0.1 for development and tests.
 *
 * <p>Usage: {@code SolrLauncher <solr-home> [port]}. The home holds solr.xml and the cores
 * (bin/solr.sh prepares it). SIGTERM stops Jetty and closes the cores, which commits pending
 * documents; the update log covers a hard kill.
 */
public final class SolrLauncher {
  private static final Logger log = LoggerFactory.getLogger(SolrLauncher.class);
  private static final int DEFAULT_PORT = 8983;
  private static final long CORE_LOAD_TIMEOUT_MS = 120_000L;

  private SolrLauncher() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: SolrLauncher <solr-home> [port]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath().normalize();
    int port = args.length == 2 ? Integer.parseInt(args[1]) : DEFAULT_PORT;
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("no solr.xml in " + home);
      System.exit(2);
    }

    JettyConfig config =
        JettyConfig.builder()
            .setPort(port)
            .setContext("/solr")
            // Our shutdown hook stops Solr first, then logging.
            .stopAtShutdown(false)
            .waitForLoadingCoresToFinish(CORE_LOAD_TIMEOUT_MS)
            .build();
    JettySolrRunner runner = new JettySolrRunner(home.toString(), new Properties(), config);
    try {
      runner.start();
    } catch (Exception e) {
      fail("Solr did not start on 127.0.0.1:" + port + ": " + rootCause(e), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(runner), "solr-shutdown"));

    // A broken configset must fail the start, not leave a node without its cores.
    CoreContainer cores = runner.getCoreContainer();
    Map<String, CoreContainer.CoreLoadFailure> failures =
        cores == null ? Map.of() : cores.getCoreInitFailures();
    if (cores == null || !failures.isEmpty()) {
      failures.forEach((name, failure) -> log.error("Core {} failed to load", name, failure.exception));
      System.err.println("Cores failed to load: " + failures.keySet() + "; see solr.log");
      stop(runner);
      Runtime.getRuntime().halt(1);
    }
    log.info("Solr listening on {} with cores {}", runner.getBaseUrl(), cores.getLoadedCoreNames());
  }

  /** Gives up before the shutdown hook exists: there is nothing running to stop. */
  private static void fail(String message, Exception cause) {
    log.error(message, cause);
    System.err.println(message);
    LogManager.shutdown();
    System.exit(1);
  }

  private static String rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.toString();
  }

  private static void stop(JettySolrRunner runner) {
    try {
      log.info("Stopping Solr");
      runner.stop();
      log.info("Solr stopped");
    } catch (Exception e) {
      log.error("Error while stopping Solr", e);
    } finally {
      LogManager.shutdown();
    }
  }
}
