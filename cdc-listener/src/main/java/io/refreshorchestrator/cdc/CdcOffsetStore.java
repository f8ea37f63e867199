package io.refreshorchestrator.cdc;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;

/**
 * Kafka Connect's {@link KafkaOffsetBackingStore}, as the Debezium engine builds it for {@code
 * offset.storage=...KafkaOffsetBackingStore}, minus two defects of that construction in Debezium
 * 3.6.1: the shared admin client it creates is never closed (one leaked client, reconnecting
 * forever, per engine run), and every engine's clients are named {@code debezium-server}. This
 * store closes its admin client on {@link #stop()} and names its clients after the engine.
 *
 * <p>The engine instantiates it by class name ({@code offset.storage}), with no arguments, then
 * calls {@link #configure} and {@link #start}: the same records, topic and format as the plain
 * store, so either can read what the other wrote.
 */
public final class CdcOffsetStore extends KafkaOffsetBackingStore {

    private final AtomicReference<SharedTopicAdmin> admin;
    private final AtomicReference<String> clientIdBase;

    public CdcOffsetStore() {
        this(new AtomicReference<>(), new AtomicReference<>("refresh-orchestrator-cdc-"));
    }

    private CdcOffsetStore(
            AtomicReference<SharedTopicAdmin> admin, AtomicReference<String> clientIdBase) {
        super(() -> admin.get().get(), clientIdBase::get, keyConverter());
        this.admin = admin;
        this.clientIdBase = clientIdBase;
    }

    @Override
    public void configure(WorkerConfig config) {
        var engineName = config.originalsStrings().getOrDefault("name", "refresh-orchestrator-cdc");
        clientIdBase.set(engineName + "-");
        Map<String, Object> adminProps = new HashMap<>(config.originals());
        adminProps.put(CommonClientConfigs.CLIENT_ID_CONFIG, engineName + "-offsets-admin");
        admin.set(new SharedTopicAdmin(adminProps));
        super.configure(config);
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            var shared = admin.getAndSet(null);
            if (shared != null) {
                shared.close(Duration.ofSeconds(10));
            }
        }
    }

    /** Offset keys as the engine writes them: schemaless JSON. */
    private static Converter keyConverter() {
        var converter = new JsonConverter();
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
        return converter;
    }
}
