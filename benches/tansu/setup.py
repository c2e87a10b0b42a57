"""Build the scale scenario on a tansu broker: TOPICS topics x 10 partitions, 4 consumer
groups per topic with known committed offsets, and a registry declaring them.
Writes registry.yaml and expected.json (group, topic, partition -> committed, log end)
into the directory given as the second argument."""
import json, sys
from confluent_kafka import Producer, TopicPartition, ConsumerGroupTopicPartitions
from confluent_kafka.admin import AdminClient, NewTopic

addr, out = sys.argv[1], sys.argv[2]
TOPICS, PARTS, PER_TOPIC = int(sys.argv[3]), 10, 4
admin = AdminClient({"bootstrap.servers": addr})
topics = [f"t{i}_events" for i in range(TOPICS)]
for f in admin.create_topics([NewTopic(t, PARTS, 1) for t in topics]).values():
    f.result()
# tansu's memory storage counts batches in ListOffsets: one message per batch.
p = Producer({"bootstrap.servers": addr, "batch.num.messages": 1, "linger.ms": 0})
end = lambda t, q: (t + q) % 5 + 1
for t, name in enumerate(topics):
    for q in range(PARTS):
        for _ in range(end(t, q)):
            p.produce(name, b"x", partition=q)
    p.flush()
services = [f"s{j}" for j in range(PER_TOPIC * 20)]
expected, futures = {}, []
for t, name in enumerate(topics):
    for k in range(PER_TOPIC):
        svc = services[(t * PER_TOPIC + k) % len(services)]
        group = f"{svc}_{name}_consumer"
        offs = [TopicPartition(name, q, min(end(t, q), (t + k) % 4)) for q in range(PARTS)]
        futures += admin.alter_consumer_group_offsets([ConsumerGroupTopicPartitions(group, offs)]).values()
        for tp in offs:
            expected[f"{group}|{name}|{tp.partition}"] = [tp.offset, end(t, tp.partition)]
for f in futures:
    f.result()
with open(f"{out}/expected.json", "w") as f:
    json.dump(expected, f)
with open(f"{out}/registry.yaml", "w") as f:
    f.write('conventions:\n  consumer_group: "{service_name}_{topic_name}_consumer"\n')
    f.write("services:\n" + "".join(f"  - {{key: {s}, name: Service {s}}}\n" for s in services))
    f.write("topics:\n")
    for t, name in enumerate(topics):
        cons = sorted({services[(t * PER_TOPIC + k) % len(services)] for k in range(PER_TOPIC)})
        f.write(f"  - {{name: {name}, producers: [{services[-1 - t % 10]}], consumers: [{', '.join(cons)}]}}\n")
print(f"{len(topics)} topics, {len(expected) // PARTS} groups")
