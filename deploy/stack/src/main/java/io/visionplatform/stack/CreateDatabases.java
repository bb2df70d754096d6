package io.visionplatform.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Creates the given databases when they are missing (needs no psql).
 *
 * <pre>java -cp 'libs/*' io.visionplatform.stack.CreateDatabases HOST PORT USER PASSWORD DB...</pre>
 *
 * Prints one line: {@code created: a b} / {@code present: N}. Exit code 1 on a connection error.
 */
public final class CreateDatabases {

    private CreateDatabases() {
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: CreateDatabases HOST PORT USER PASSWORD DB...");
            System.exit(2);
        }
        String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/postgres";
        Properties props = new Properties();
        props.setProperty("user", args[2]);
        if (!args[3].isEmpty()) {
            props.setProperty("password", args[3]);
        }
        props.setProperty("connectTimeout", "10");
        List<String> created = new ArrayList<>();
        int present = 0;
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            for (int i = 4; i < args.length; i++) {
                String db = args[i];
                if (!db.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("invalid database name: " + db);
                }
                exists.setString(1, db);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        present++;
                        continue;
                    }
                }
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("CREATE DATABASE " + db);
                    created.add(db);
                } catch (SQLException e) {
                    // 42P04 duplicate_database: created concurrently, fine
                    if (!"42P04".equals(e.getSQLState())) {
                        throw e;
                    }
                    present++;
                }
            }
        } catch (SQLException e) {
            System.err.println("database creation failed on " + url + ": " + e.getMessage());
            System.exit(1);
        }
        System.out.println("databases present: " + present + ", created: "
                + (created.isEmpty() ? "none" : String.join(" ", created)));
    }
}
