import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Kafka topics that do not exist yet (like kafka-topics --create --if-not-exists, for many
 * topics in one JVM). Compiled on first use by deploy/stack.sh against the Kafka libs.
 *
 * <pre>java -cp CLASSES:'libs/*' KafkaTopics BOOTSTRAP PARTITIONS TOPIC...</pre>
 * <pre>java -cp CLASSES:'libs/*' KafkaTopics BOOTSTRAP --list</pre>
 */
public final class KafkaTopics {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KafkaTopics BOOTSTRAP PARTITIONS TOPIC... | BOOTSTRAP --list");
            System.exit(2);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if ("--list".equals(args[1])) {
                existing.stream().sorted().forEach(System.out::println);
                return;
            }
            int partitions = Integer.parseInt(args[1]);
            List<NewTopic> missing = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                if (!existing.contains(args[i])) {
                    missing.add(new NewTopic(args[i], partitions, (short) 1));
                }
            }
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                Map<String, org.apache.kafka.common.KafkaFuture<Void>> results =
                        admin.createTopics(missing).values();
                for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : results.entrySet()) {
                    try {
                        e.getValue().get(30, TimeUnit.SECONDS);
                        created.add(e.getKey());
                    } catch (ExecutionException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            throw ex;
                        }
                    }
                }
            }
            System.out.println("topics present: " + (args.length - 2 - created.size()) + ", created: "
                    + (created.isEmpty() ? "none" : String.join(" ", created.stream().sorted().toList())));
        }
    }
}
