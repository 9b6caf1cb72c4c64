# The flinkspot job image: the stock-ticker job on the official Flink 1.20 image (Java 17).
#
#   docker build -t <account>.dkr.ecr.<region>.amazonaws.com/flinkspot/stock-ticker:0.1.0 .
#   docker push     <account>.dkr.ecr.<region>.amazonaws.com/flinkspot/stock-ticker:0.1.0
#
# k8s/examples/stock-ticker.yaml runs it: jarURI local:///opt/flink/usrlib/stock-ticker.jar.

# Base images: to pin them (and to update a pin), replace each tag by tag@<digest of its
# multi-arch index>, the digest printed by `docker buildx imagetools inspect <image:tag>`, so the
# release's amd64 + arm64 build stays reproducible. Not pinned yet: no verified digest could be
# read where this was written (no registry access).

# --- build: the job's fat jar (job/target/stock-ticker.jar) ---------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The parent pom and the job module are all the job build reads; dependencies first, for caching.
COPY .mvn .mvn
COPY pom.xml pom.xml
COPY job/pom.xml job/pom.xml
RUN mvn -B -q -f job/pom.xml dependency:go-offline
COPY job/src job/src
RUN mvn -B -f job/pom.xml package -DskipTests

# --- run: official Flink 1.20 on Java 17 ----------------------------------------------------
FROM flink:1.20-java17
# The S3 filesystem (s3:// for checkpoints, savepoints, HA and the job's sink) is a plugin the
# image ships in opt/; enabling it means copying it into its own folder under plugins/.
RUN mkdir -p /opt/flink/plugins/s3-fs-hadoop \
 && cp /opt/flink/opt/flink-s3-fs-hadoop-*.jar /opt/flink/plugins/s3-fs-hadoop/ \
 && chown -R flink:flink /opt/flink/plugins/s3-fs-hadoop
COPY --from=build --chown=flink:flink /src/job/target/stock-ticker.jar /opt/flink/usrlib/stock-ticker.jar
# The image's own non-root user (uid 9999); the entrypoint is the image's.
USER flink
