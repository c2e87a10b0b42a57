"""Keep a tansu scenario moving for a soak: every second, produce to RATE random
partitions and move every group's committed offsets up to the new log ends."""
import random, sys, time
from confluent_kafka import Producer, TopicPartition, ConsumerGroupTopicPartitions
from confluent_kafka.admin import AdminClient

addr, topics, rate, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
admin = AdminClient({"bootstrap.servers": addr})
p = Producer({"bootstrap.servers": addr, "batch.num.messages": 1, "linger.ms": 0})
names = [f"t{i}_events" for i in range(topics)]
groups = [g.group_id for g in admin.list_consumer_groups().result().valid]
until = time.time() + seconds
while time.time() < until:
    for _ in range(rate):
        p.produce(random.choice(names), b"x", partition=random.randrange(10))
    p.flush()
    # A tenth of the groups commit each second, at their topic's log end.
    for g in random.sample(groups, max(1, len(groups) // 10)):
        topic = g.rsplit("_consumer", 1)[0].split("_", 1)[1]
        ends = admin.list_offsets({TopicPartition(topic, q): __import__("confluent_kafka").admin.OffsetSpec.latest() for q in range(10)})
        offs = [TopicPartition(tp.topic, tp.partition, f.result().offset) for tp, f in ends.items()]
        admin.alter_consumer_group_offsets([ConsumerGroupTopicPartitions(g, offs)])
    time.sleep(1)
