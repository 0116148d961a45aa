package org.zaozhuang.solr;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.api.util.SolrVersion;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Runs a standalone Solr (no ZooKeeper) in this JVM for development and tests, with one core
 * whose config is read in place from a configset directory.
 *
 * <p>Usage: {@code SolrLauncher --host 127.0.0.1 --port 8983 --home DIR --configset DIR [--core
 * ckan]}. Defaults come from CKAN_SOLR_HOST / CKAN_SOLR_PORT. The home keeps the index between runs; the
 * launcher rewrites only solr.xml and the core's core.properties in it.
 */
public final class SolrLauncher {

  private static final int EXIT_USAGE = 64;
  private static final int EXIT_PORT_IN_USE = 3;
  private static final int EXIT_START_FAILED = 1;
  private static final long READY_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(3);

  // Jersey logs through java.util.logging straight to stderr (not log4j), e.g. a harmless
  // warning about the absent jakarta.activation provider. Held here because JUL keeps loggers
  // only weakly referenced and would drop the level.
  private static final java.util.logging.Logger JERSEY_JUL =
      java.util.logging.Logger.getLogger("org.glassfish.jersey");

  private SolrLauncher() {}

  public static void main(String[] args) throws Exception {
    Options opts;
    try {
      opts = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(
          "usage: SolrLauncher --host 127.0.0.1 --port 8983 --home <dir> --configset <dir with"
              + " conf/> [--core ckan]");
      System.exit(EXIT_USAGE);
      return;
    }

    Path conf = opts.configset.resolve("conf");
    if (!Files.isRegularFile(conf.resolve("solrconfig.xml"))
        || !Files.isRegularFile(conf.resolve("schema.xml"))) {
      System.err.println("error: " + conf + " must contain solrconfig.xml and schema.xml");
      System.exit(EXIT_USAGE);
    }

    // Fail fast with a useful message; Jetty's own error is a long stack trace.
    if (!portIsFree(opts.host, opts.port)) {
      portInUse(opts);
    }

    prepareHome(opts);

    JERSEY_JUL.setLevel(java.util.logging.Level.SEVERE);

    // Must be set before the first Solr class initialises log4j.
    Path logDir = opts.home.resolve("logs");
    Files.createDirectories(logDir);
    setIfAbsent("solr.log.dir", logDir.toString());
    setIfAbsent("log4j2.configurationFile", "classpath:zaozhuang-solr-log4j2.xml");

    JettyConfig config =
        JettyConfig.builder()
            .setPort(opts.port)
            .setContext("/solr")
            // our own hook stops Solr; Jetty's would race with it
            .stopAtShutdown(false)
            // the runner retries for 60 s by default when the port is taken
            .withPortRetryTime(0)
            .build();
    HostBoundRunner.bindHost = opts.host;
    JettySolrRunner runner = new HostBoundRunner(opts.home.toString(), config);

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    runner.stop();
                    System.out.println("Solr stopped");
                  } catch (Exception e) {
                    System.err.println("error while stopping Solr: " + e);
                  }
                },
                "solr-shutdown"));

    try {
      runner.start();
    } catch (Exception e) {
      if (hasCause(e, BindException.class)) {
        portInUse(opts);
      }
      System.err.println("error: Solr failed to start: " + e);
      System.exit(EXIT_START_FAILED);
    }

    String coreUrl = "http://" + hostForUrl(opts.host) + ":" + opts.port + "/solr/" + opts.core;
    try {
      waitUntilReady(runner, opts.core, coreUrl);
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("see " + logDir.resolve("solr.log"));
      System.exit(EXIT_START_FAILED);
    }
    System.out.println("Solr " + SolrVersion.LATEST_STRING + " ready at " + coreUrl);
    System.out.flush();

    // Serve until the JVM is told to stop; the shutdown hook does the cleanup.
    Thread.currentThread().join();
  }

  /** Writes solr.xml and core.properties so the core reads its config from the configset. */
  static void prepareHome(Options opts) throws IOException {
    Files.createDirectories(opts.home);
    Path configsetBase = opts.configset.getParent();
    String configsetName = opts.configset.getFileName().toString();

    String solrXml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
            + "<!-- Written by SolrLauncher on every start; edits are lost. -->\n"
            + "<solr>\n"
            + "  <str name=\"configSetBaseDir\">"
            + xmlEscape(configsetBase.toString())
            + "</str>\n"
            + "  <str name=\"sharedLib\">${solr.sharedLib:}</str>\n"
            + "</solr>\n";
    Files.writeString(opts.home.resolve("solr.xml"), solrXml, StandardCharsets.UTF_8);

    Path coreDir = opts.home.resolve(opts.core);
    Files.createDirectories(coreDir);
    // The index lives in <home>/<core>/data and is left alone, so restarts keep it.
    String props =
        "# Written by SolrLauncher on every start; edits are lost.\n"
            + "name="
            + opts.core
            + "\n"
            + "configSet="
            + configsetName
            + "\n";
    Files.writeString(coreDir.resolve("core.properties"), props, StandardCharsets.ISO_8859_1);
  }

  static void waitUntilReady(JettySolrRunner runner, String core, String coreUrl)
      throws Exception {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    URI ping = URI.create(coreUrl + "/admin/ping?wt=json");
    while (true) {
      CoreContainer cc = runner.getCoreContainer();
      if (cc != null) {
        Map<String, CoreContainer.CoreLoadFailure> failures = cc.getCoreInitFailures();
        CoreContainer.CoreLoadFailure failure = failures.get(core);
        if (failure != null) {
          Throwable root = failure.exception;
          while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
          }
          throw new IllegalStateException("core '" + core + "' failed to load: " + root);
        }
      }
      if (httpOk(ping)) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("core did not answer at " + ping + " in time");
      }
      Thread.sleep(250);
    }
  }

  private static boolean httpOk(URI uri) {
    HttpURLConnection conn = null;
    try {
      conn = (HttpURLConnection) uri.toURL().openConnection();
      conn.setConnectTimeout(2000);
      conn.setReadTimeout(5000);
      int code = conn.getResponseCode();
      if (code != 200) {
        return false;
      }
      try (InputStream in = conn.getInputStream()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return body.contains("\"status\":\"OK\"");
      }
    } catch (IOException e) {
      return false;
    } finally {
      if (conn != null) {
        conn.disconnect();
      }
    }
  }

  private static boolean portIsFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      // Same SO_REUSEADDR setting as Jetty, so TIME_WAIT leftovers are not reported as busy.
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void portInUse(Options opts) {
    System.err.println(
        "error: port "
            + opts.port
            + " on "
            + opts.host
            + " is already in use. Stop whatever holds it, or pick another port with"
            + " CKAN_SOLR_PORT=<port> (or --port <port>).");
    System.exit(EXIT_PORT_IN_USE);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * JettySolrRunner always binds 127.0.0.1. Its connector exists before this hook is called, so
   * the address can be replaced here. The hook runs inside the super constructor, hence the static
   * field instead of a constructor argument.
   */
  static final class HostBoundRunner extends JettySolrRunner {
    static volatile String bindHost = "127.0.0.1";

    HostBoundRunner(String solrHome, JettyConfig config) {
      super(solrHome, config);
    }

    @Override
    protected HandlerWrapper injectJettyHandlers(HandlerWrapper chain) {
      for (Connector c : chain.getServer().getConnectors()) {
        ((ServerConnector) c).setHost(bindHost);
      }
      return chain;
    }
  }

  static final class Options {
    String host;
    int port;
    Path home;
    Path configset;
    String core = "ckan";

    static Options parse(String[] args) {
      Options o = new Options();
      o.host = envOr("CKAN_SOLR_HOST", "127.0.0.1");
      String port = envOr("CKAN_SOLR_PORT", "8983");
      String home = null;
      String configset = null;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--host":
            o.host = v;
            break;
          case "--port":
            port = v;
            break;
          case "--home":
            home = v;
            break;
          case "--configset":
            configset = v;
            break;
          case "--core":
            o.core = v;
            break;
          default:
            throw new IllegalArgumentException("unknown option " + a);
        }
      }
      try {
        o.port = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port is not a number: " + port);
      }
      if (o.port < 1 || o.port > 65535) {
        throw new IllegalArgumentException("port out of range: " + o.port);
      }
      if (home == null) {
        throw new IllegalArgumentException("--home is required");
      }
      if (configset == null) {
        throw new IllegalArgumentException("--configset is required");
      }
      if (!o.core.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("bad core name: " + o.core);
      }
      o.home = Path.of(home).toAbsolutePath().normalize();
      o.configset = Path.of(configset).toAbsolutePath().normalize();
      return o;
    }

    private static String envOr(String name, String dflt) {
      String v = System.getenv(name);
      return v == null || v.isEmpty() ? dflt : v;
    }
  }
}
