"""The official confluent-kafka Python deserializers on the record benches/schema_decode.rs
decodes (the same event envelope in Avro, Protobuf and JSON Schema), for comparison:
records written by the official serializers against an in-memory registry (mock://),
then decoded N times. Prints messages per second per format.

Needs: pip install "confluent-kafka[schemaregistry,avro,protobuf,json]" (fastavro,
protobuf, jsonschema). Run: python3 benches/schema_registry/python_deserializers.py
"""
import json
import time
from decimal import Decimal
from datetime import datetime, timezone
from uuid import UUID

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer, AvroDeserializer
from confluent_kafka.schema_registry.json_schema import JSONSerializer, JSONDeserializer
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer, ProtobufDeserializer
from confluent_kafka.serialization import SerializationContext, MessageField
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, timestamp_pb2  # noqa: F401

N = 20_000
AVRO = json.dumps({"type": "record", "name": "Event", "namespace": "bench", "fields": [
    {"name": "event_id", "type": {"type": "string", "logicalType": "uuid"}},
    {"name": "event_type", "type": "string"},
    {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "tenant_id", "type": "string"},
    {"name": "source_service", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
    {"name": "note", "type": ["null", "string"]},
    {"name": "payload", "type": {"type": "record", "name": "Payload", "fields": [
        {"name": "n", "type": "long"}, {"name": "text", "type": "string"}]}}]})
PAD = "padding padding padding padding padding padding"
EVENT = {"event_id": "0b7f6c1e-2f4a-4d1e-9a51-000000000001", "event_type": "order_placed",
         "timestamp": "2026-11-30T05:00:00.123Z", "tenant_id": "5d2c1a3e-8b7f-4c6d-9e0a-1b2c3d4e5f60",
         "source_service": "orders", "version": "1.0.0", "amount": "1234.50", "tags": ["a", "b", "c"],
         "note": PAD, "payload": {"n": 42, "text": PAD}}


def event_proto_class():
    f = descriptor_pb2.FileDescriptorProto(name="bench_event.proto", package="bench", syntax="proto3",
                                           dependency=["google/protobuf/timestamp.proto"])
    m = f.message_type.add(name="Event")
    p = m.nested_type.add(name="Payload")
    T = descriptor_pb2.FieldDescriptorProto
    p.field.add(name="n", number=1, type=T.TYPE_INT64, label=T.LABEL_OPTIONAL)
    p.field.add(name="text", number=2, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    for i, name in enumerate(["event_id", "event_type"], 1):
        m.field.add(name=name, number=i, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    m.field.add(name="timestamp", number=3, type=T.TYPE_MESSAGE, type_name=".google.protobuf.Timestamp",
                label=T.LABEL_OPTIONAL)
    for i, name in enumerate(["tenant_id", "source_service", "version", "amount"], 4):
        m.field.add(name=name, number=i, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    m.field.add(name="tags", number=8, type=T.TYPE_STRING, label=T.LABEL_REPEATED)
    m.field.add(name="note", number=9, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    m.field.add(name="payload", number=10, type=T.TYPE_MESSAGE, type_name=".bench.Event.Payload",
                label=T.LABEL_OPTIONAL)
    pool = descriptor_pool.Default()
    pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("bench.Event"))


def rate(name, deserialize, record, ctx):
    deserialize(record, ctx)
    began = time.perf_counter()
    for _ in range(N):
        deserialize(record, ctx)
    s = time.perf_counter() - began
    print(f"{name:9} {N / s:12,.0f} messages/s  ({s / N * 1e6:.2f} µs each, {len(record)} bytes)")


def main():
    sr = SchemaRegistryClient.new_client({"url": "mock://bench"})
    ctx = SerializationContext("bench", MessageField.VALUE)

    avro_value = dict(EVENT, event_id=UUID(EVENT["event_id"]), amount=Decimal("1234.50"),
                      timestamp=datetime(2026, 11, 30, 5, 0, 0, 123000, tzinfo=timezone.utc))
    record = AvroSerializer(sr, AVRO)(avro_value, ctx)
    rate("avro", AvroDeserializer(sr), record, ctx)

    Event = event_proto_class()
    msg = Event(event_id=EVENT["event_id"], event_type=EVENT["event_type"], tenant_id=EVENT["tenant_id"],
                source_service="orders", version="1.0.0", amount="1234.50", tags=["a", "b", "c"], note=PAD)
    msg.timestamp.FromJsonString(EVENT["timestamp"])
    msg.payload.n, msg.payload.text = 42, PAD
    record = ProtobufSerializer(Event, sr, {"use.deprecated.format": False})(msg, ctx)
    rate("protobuf", ProtobufDeserializer(Event, {"use.deprecated.format": False}), record, ctx)

    schema = json.dumps({"type": "object", "properties": {"event_type": {"type": "string"}}})
    record = JSONSerializer(schema, sr)(EVENT, ctx)
    rate("json", JSONDeserializer(schema, schema_registry_client=sr), record, ctx)


if __name__ == "__main__":
    main()
