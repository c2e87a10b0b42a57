"""Records written with the official serializers of confluent-kafka's Python client, for
the opt-in suite (tests/it/external_schemas.rs): Avro, Protobuf and JSON Schema against
a Schema Registry on loopback that answers GETs only, so the serializers do not
register anything: each uses the subject's latest version (`use.latest.version`).
Prints one JSON line per record written: its topic and the value as written. sr.guid's
values name their schema by GUID in the `__value_schema_id` header (Confluent Platform
8's `header_schema_id_serializer`), its keys by id or GUID with a key serializer.

Usage: official_serializers.py BOOTSTRAP REGISTRY_URL
Needs: confluent-kafka with its serializers' packages (fastavro, protobuf, jsonschema,
requests...), installed by .ci/run.
"""
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient, header_schema_id_serializer
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

LATEST = {"auto.register.schemas": False, "use.latest.version": True}
AVRO = json.dumps({"type": "record", "name": "Order", "namespace": "ext", "fields": [
    {"name": "order_id", "type": "string"},
    {"name": "amount", "type": "double"},
    {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
    {"name": "note", "type": ["null", "string"], "default": None},
    {"name": "tags", "type": {"type": "array", "items": "string"}}]})
JSON_SCHEMA = json.dumps({"type": "object", "properties": {
    "event_type": {"type": "string"}, "n": {"type": "integer"}}, "required": ["event_type"]})


def event_class():
    """ext.Event with a nested Inner: the .proto the registry serves (tests/it/external_schemas.rs)."""
    f = descriptor_pb2.FileDescriptorProto(name="ext_event.proto", package="ext", syntax="proto3")
    m = f.message_type.add(name="Event")
    inner = m.nested_type.add(name="Inner")
    T = descriptor_pb2.FieldDescriptorProto
    inner.field.add(name="note", number=1, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    m.field.add(name="event_id", number=1, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    m.field.add(name="seq", number=2, type=T.TYPE_INT64, label=T.LABEL_OPTIONAL)
    m.field.add(name="inner", number=3, type=T.TYPE_MESSAGE, type_name=".ext.Event.Inner", label=T.LABEL_OPTIONAL)
    pool = descriptor_pool.Default()
    pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("ext.Event"))


def main():
    bootstrap, url = sys.argv[1], sys.argv[2]
    sr = SchemaRegistryClient({"url": url})
    producer = Producer({"bootstrap.servers": bootstrap})
    ctx = lambda topic: SerializationContext(topic, MessageField.VALUE)  # noqa: E731

    def write(topic, value, written, key=None, headers=None):
        producer.produce(topic, value=value, key=key, headers=headers, partition=0)
        # One record a batch: tansu 0.6 reports a batch's records at one offset.
        producer.flush(30)
        print(json.dumps({"topic": topic, "value": written}), flush=True)

    avro = AvroSerializer(sr, AVRO, conf=LATEST)
    for i, (status, note) in enumerate([("NEW", None), ("PAID", "gift")]):
        order = {"order_id": f"o-{i}", "amount": 12.5 + i, "status": status, "note": note, "tags": ["a", str(i)]}
        write("sr.avro", avro(order, ctx("sr.avro")), order)

    Event = event_class()
    proto = ProtobufSerializer(Event, sr, dict(LATEST, **{"use.deprecated.format": False}))
    for i in range(2):
        e = Event(event_id=f"e-{i}", seq=100 + i)
        e.inner.note = f"inner {i}"
        write("sr.proto", proto(e, ctx("sr.proto")),
              {"event_id": f"e-{i}", "seq": 100 + i, "inner": {"note": f"inner {i}"}})

    js = JSONSerializer(JSON_SCHEMA, sr, conf=LATEST)
    for i in range(2):
        v = {"event_type": f"thing_{i}", "n": i}
        write("sr.json", js(v, ctx("sr.json")), v)

    # sr.mixed declares its own subject: a record serialized for sr.avro's, and plain JSON.
    order = {"order_id": "o-x", "amount": 1.0, "status": "NEW", "note": None, "tags": []}
    write("sr.mixed", avro(order, ctx("sr.avro")), order)
    write("sr.mixed", json.dumps({"event_type": "plain"}).encode(), {"event_type": "plain"})

    # sr.guid declares sr.guid-value and sr.guid-key. The first record: its value by GUID
    # under sr.guid-value, its key by id under sr.guid-key. The second: its value by
    # sr.avro-value's GUID, its key by sr.other-key's GUID (both off the subject).
    by_guid = dict(LATEST, **{"schema.id.serializer": header_schema_id_serializer})
    avro_guid = AvroSerializer(sr, AVRO, conf=by_guid)
    key_id = AvroSerializer(sr, '"string"', conf=LATEST)
    key_guid = AvroSerializer(sr, '"string"', conf=by_guid)
    for i, (value_topic, key_topic, keyer) in enumerate(
            [("sr.guid", "sr.guid", key_id), ("sr.avro", "sr.other", key_guid)]):
        headers = []
        order = {"order_id": f"g-{i}", "amount": 2.0, "status": "PAID", "note": None, "tags": []}
        value = avro_guid(order, SerializationContext(value_topic, MessageField.VALUE, headers))
        key = keyer(f"k-{i}", SerializationContext(key_topic, MessageField.KEY, headers))
        write("sr.guid", value, order, key=key, headers=headers)


if __name__ == "__main__":
    main()
