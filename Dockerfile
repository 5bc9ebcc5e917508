# sharedfate in a container: built on Debian 12, shipped as the binary and
# its runtime libraries on debian:12-slim.
#   docker build -t sharedfate .
#   docker run --rm -v "$PWD:/repo" sharedfate scan --format sarif -o sharedfate.sarif .
# tests/test_ci_files.py checks this file: the stages, that the runtime
# packages cover every library the binary needs, and the build commands.

FROM debian:12-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config python3 \
      libjansson-dev libyaml-dev libxml2-dev libigraph-dev libknot-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build -j"$(nproc)" --target sharedfate \
 && /build/sharedfate version

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjansson4 libyaml-0-2 libxml2 libzscanner4 libigraph3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-create-home --home-dir /repo sharedfate
COPY --from=build /build/sharedfate /usr/local/bin/sharedfate
USER sharedfate
WORKDIR /repo
ENTRYPOINT ["sharedfate"]
CMD ["scan", "."]
