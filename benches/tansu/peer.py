"""The peer: what a competent user writes with the official client (confluent-kafka,
librdkafka bundled): one AdminClient, every group's committed offsets concurrently,
every partition's log end in one list_offsets call. Prints rows as JSON lines."""
import json, sys
from confluent_kafka import TopicPartition, ConsumerGroupTopicPartitions
from confluent_kafka.admin import AdminClient, OffsetSpec

admin = AdminClient({"bootstrap.servers": sys.argv[1]})
groups = [g.group_id for g in admin.list_consumer_groups().result().valid]
futs = {g: admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(g)])[g] for g in groups}
committed = {g: f.result().topic_partitions for g, f in futs.items()}
md = admin.list_topics(timeout=10)
tps = [TopicPartition(t, p) for t, m in md.topics.items() if not t.startswith("__") for p in m.partitions]
ends = {(tp.topic, tp.partition): r.offset
        for tp, r in ((tp, f.result()) for tp, f in admin.list_offsets({tp: OffsetSpec.latest() for tp in tps}).items())}
rows = 0
for g, tpl in committed.items():
    for tp in tpl:
        rows += 1
        print(json.dumps([g, tp.topic, tp.partition, tp.offset, ends.get((tp.topic, tp.partition))]))
print(f"{len(groups)} groups, {rows} rows", file=sys.stderr)
