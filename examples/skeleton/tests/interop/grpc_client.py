"""A gRPC client that is not tonic: Python's grpcio, against the skeleton.

Run by tests/interop.rs with the server's address as the only argument. It
prints one line per finding (the Rust test asserts them), then "watching"
once a health Watch stream is open, and keeps reading that stream until the
server ends it, printing every status it receives.

What it proves, with the tools operators use (grpc_health_probe and grpcurl
speak these same protocols):
- grpc.health.v1: Check for the server ("") and for the service; an unknown
  service is NOT_FOUND; Watch streams NOT_SERVING when the server drains.
- grpc.reflection.v1: the server lists its services and sends the file
  descriptors of one, from which this client builds the message classes and
  calls a unary method it was never compiled against, as grpcurl does.

grpcio-reflection ships only the v1alpha messages; the v1 protocol is the
same messages under a new service name, so they are sent to the v1 path.
"""

import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2

REFLECTION_V1 = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"


def say(*words):
    print(*words, flush=True)


def reflect(channel, request):
    call = channel.stream_stream(
        REFLECTION_V1,
        request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
    )
    responses = list(call(iter([request]), timeout=5))
    assert len(responses) == 1, f"one request, one response; got {len(responses)}"
    response = responses[0]
    if response.HasField("error_response"):
        raise RuntimeError(f"reflection error: {response.error_response}")
    return response


def load_files(channel, pool, symbol):
    """Adds the file defining `symbol`, and its imports, to `pool`."""
    response = reflect(
        channel, reflection_pb2.ServerReflectionRequest(file_containing_symbol=symbol)
    )
    files = {}
    for raw in response.file_descriptor_response.file_descriptor_proto:
        proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
        files[proto.name] = proto
    added = set()

    def add(name):
        if name in added:
            return
        if name not in files:
            more = reflect(
                channel, reflection_pb2.ServerReflectionRequest(file_by_filename=name)
            )
            for raw in more.file_descriptor_response.file_descriptor_proto:
                proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
                files.setdefault(proto.name, proto)
        for dep in files[name].dependency:
            add(dep)
        pool.Add(files[name])
        added.add(name)

    for name in list(files):
        add(name)


def main():
    address = sys.argv[1]
    channel = grpc.insecure_channel(address)
    grpc.channel_ready_future(channel).result(timeout=10)

    health = health_pb2_grpc.HealthStub(channel)
    status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5).status
    say("health '':", health_pb2.HealthCheckResponse.ServingStatus.Name(status))

    listed = reflect(channel, reflection_pb2.ServerReflectionRequest(list_services=""))
    services = sorted(s.name for s in listed.list_services_response.service)
    say("services:", " ".join(services))
    ours = [s for s in services if not s.startswith("grpc.")]
    assert ours, f"the server should list a service of its own: {services}"

    for service in ours:
        status = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        say(f"health {service}:", health_pb2.HealthCheckResponse.ServingStatus.Name(status.status))
    try:
        health.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=5)
        say("health no.such.Service: answered")
    except grpc.RpcError as error:
        say("health no.such.Service:", error.code().name)

    pool = descriptor_pool.DescriptorPool()
    service = ours[0]
    load_files(channel, pool, service)
    descriptor = pool.FindServiceByName(service)
    unary = [
        m for m in descriptor.methods if not m.client_streaming and not m.server_streaming
    ]
    assert unary, f"{service} should have a unary method"
    method = unary[0]
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    call = channel.unary_unary(
        f"/{service}/{method.name}",
        request_serializer=request_class.SerializeToString,
        response_deserializer=response_class.FromString,
    )
    request = request_class()
    # Fill every string field, so a service that requires one is satisfied.
    for field in method.input_type.fields:
        # protobuf 5.27+ has `is_repeated`; 7.x dropped `label`.
        repeated = getattr(field, "is_repeated", None)
        if repeated is None:
            repeated = field.label == field.LABEL_REPEATED
        if field.type == field.TYPE_STRING and not repeated:
            setattr(request, field.name, "from python")
    try:
        reply = call(request, timeout=5)
        say(
            f"called {service}/{method.name}:",
            json_format.MessageToJson(reply, indent=None, sort_keys=True),
        )
    except grpc.RpcError as error:
        say(f"called {service}/{method.name}: status", error.code().name)

    watch = health.Watch(health_pb2.HealthCheckRequest(service=""))
    first = next(watch)
    say("watch:", health_pb2.HealthCheckResponse.ServingStatus.Name(first.status))
    say("watching")
    try:
        for update in watch:
            say("watch:", health_pb2.HealthCheckResponse.ServingStatus.Name(update.status))
        say("watch ended: OK")
    except grpc.RpcError as error:
        say("watch ended:", error.code().name)


if __name__ == "__main__":
    main()
