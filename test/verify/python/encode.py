"""Encodes test records with libraries meshform does not use: Apache Avro's own Python library
(Debian's python3-avro) and Google's protobuf runtime (python3-protobuf). One JSON job per line on
stdin, one JSON answer per line on stdout: {"hex": "<bytes>"} or {"error": "<why>"}.

  {"op": "avro", "schema": {...}, "datum": {...}}
  {"op": "protobuf", "package": "acme", "message": "OrderPlaced",
   "fields": [{"name": "order_id", "number": 1, "type": "string"}, ...], "values": {...}}
"""
import io
import json
import sys


def avro_bytes(job):
    import avro.io
    import avro.schema
    schema = avro.schema.parse(json.dumps(job['schema']))
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(job['datum'], avro.io.BinaryEncoder(out))
    return out.getvalue()


PROTO_TYPES = {'string': 9, 'int32': 5, 'int64': 3, 'bool': 8, 'double': 1, 'bytes': 12}


def protobuf_bytes(job):
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    file_proto = descriptor_pb2.FileDescriptorProto(name='test_%s.proto' % job['message'], package=job['package'], syntax='proto3')
    message = file_proto.message_type.add(name=job['message'])
    for f in job['fields']:
        message.field.add(name=f['name'], number=f['number'], type=PROTO_TYPES[f['type']], label=1)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    descriptor = pool.FindMessageTypeByName('%s.%s' % (job['package'], job['message']))
    factory = message_factory.MessageFactory(pool)
    cls = factory.GetMessageClass(descriptor) if hasattr(factory, 'GetMessageClass') else factory.GetPrototype(descriptor)
    return cls(**job['values']).SerializeToString()


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            data = avro_bytes(job) if job['op'] == 'avro' else protobuf_bytes(job)
            sys.stdout.write(json.dumps({'hex': data.hex()}) + '\n')
        except Exception as e:  # the test shows the reason
            sys.stdout.write(json.dumps({'error': '%s: %s' % (type(e).__name__, e)}) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
