import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts Neo4j Community 5.26 embedded, with its Bolt connector on loopback, and keeps it
 * running until the process is stopped (SIGTERM shuts the database down cleanly).
 *
 * Usage: java -cp 'lib/*:classes' Launcher HOME PORT PASSWORD PAGECACHE_MB TX_MAX_MB
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: Launcher HOME PORT PASSWORD PAGECACHE_MB TX_MAX_MB");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        long pageCacheBytes = Long.parseLong(args[3]) * 1024L * 1024L;
        long txMaxBytes = Long.parseLong(args[4]) * 1024L * 1024L;
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                // NOOP keep-alives only while a result streams. With ALL (the default) the
                // server also hints connection.recv_timeout_seconds, and the Python driver
                // then wraps every socket read in wait_for (a Task and a timer per read): ~7% of
                // the API's CPU on `me { assignments }`. Dead connections are still found by
                // TCP keep-alive and by the reads' retries (graph/cypher_runner.py).
                .setConfig(BoltConnector.connection_keep_alive_type,
                        BoltConnector.KeepAliveRequestType.STREAMING)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txMaxBytes)
                .build();

        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // A restart on an existing store: the password is already set. Neo4j refuses to
            // "change" it to the same value; anything else is a real failure.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")
                    && (e.getCause() == null
                        || !String.valueOf(e.getCause().getMessage()).contains("Old password and new password cannot be the same"))) {
                throw e;
            }
        }
        // Touch the default database so that it is online before we report ready.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)
                .executeTransactionally("RETURN 1");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }));
        System.out.println("neo4j ready on bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
